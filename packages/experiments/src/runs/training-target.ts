import { type TrainingCases, trainingRows } from '@rpdl/cm-dataset';
import type { TrainingTarget } from '@rpdl/losses';
import { majorityVote, meanAnnotation, staple } from '@rpdl/rpmap';

/** STAPLE's posterior is binarised here: foreground where Wᵢ ≥ 0.5. */
export const STAPLE_LEVEL = 0.5;

/**
 * One image's fused target from its K training annotations: the mean annotation (cₙ / K), the
 * STAPLE consensus binarised at Wᵢ ≥ 0.5, or the majority vote (cₙ / K ≥ 0.5).
 *
 * STAPLE needs a foreground prior strictly inside (0, 1); when every annotation is empty (or
 * every one is full) the consensus is that same empty (or full) mask, and it is returned without
 * running EM.
 *
 * @throws RangeError for `'annotation'` (a per-row target, nothing to fuse), an empty list,
 *   unequal lengths or non-binary masks.
 *
 * @example
 * fuseAnnotations('majority-vote', [[1, 1, 0], [1, 0, 0], [0, 1, 0]]); // Float32Array [1, 1, 0]
 */
export function fuseAnnotations(
  target: Exclude<TrainingTarget, 'annotation'>,
  masks: readonly ArrayLike<number>[],
): Float32Array {
  switch (target) {
    case 'mean-annotation':
      return meanAnnotation(masks);
    case 'majority-vote':
      return Float32Array.from(majorityVote(masks));
    case 'staple': {
      const fused = meanAnnotation(masks); // validates, and settles the degenerate cases
      let marked = 0;
      for (let i = 0; i < fused.length; i++) marked += fused[i]!;
      if (marked === 0 || marked === fused.length) return fused;
      const { probability } = staple(masks);
      return Float32Array.from(probability, (w) => (w >= STAPLE_LEVEL ? 1 : 0));
    }
    default:
      throw new RangeError(
        `fuseAnnotations: target must be 'mean-annotation', 'staple' or 'majority-vote', got ${String(target)}`,
      );
  }
}

/**
 * The per-image training targets of one fold, computed once: for every case with at least one
 * row in `trainRows` (the fold's training annotations, validation rows included), the fusion
 * of those rows' annotations only; other annotations of the case (e.g. the held-out annotator of
 * a leave-one-annotator-out fold) never enter it. Undefined for `'annotation'`, where each row
 * trains on its own mask. Keys are case indices, as `createBatchStream`'s `caseTargets` reads them.
 *
 * @throws RangeError for rows that do not exist in `cases`.
 *
 * @example
 * const targets = foldTargets('mean-annotation', cases, split.train);
 * createBatchStream({ dataset: cases, rows: train, caseTargets: targets, batchSize: 4 });
 */
export function foldTargets(
  target: TrainingTarget,
  cases: TrainingCases,
  trainRows: readonly number[],
): Map<number, Float32Array> | undefined {
  if (target === 'annotation') return undefined;
  const table = trainingRows(cases);
  const byCase = new Map<number, Uint8Array[]>();
  for (const row of trainRows) {
    const r = table[row];
    if (r === undefined) {
      throw new RangeError(`foldTargets: row ${row} does not exist (rows 0..${table.length - 1})`);
    }
    const list = byCase.get(r.caseIndex) ?? [];
    list.push(cases.cases[r.caseIndex]!.annotations[r.annotation]!);
    byCase.set(r.caseIndex, list);
  }
  const targets = new Map<number, Float32Array>();
  for (const [caseIndex, masks] of [...byCase].sort((a, b) => a[0] - b[0])) {
    targets.set(caseIndex, fuseAnnotations(target, masks));
  }
  return targets;
}
