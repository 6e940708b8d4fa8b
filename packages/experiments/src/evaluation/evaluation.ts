import { rewardPenaltyMap } from '@rpdl/rpmap';
import type { ExperimentId } from '../grid/grid.js';
import { dice, meanMask, rewardPenaltyDiceScore } from './metrics.js';

/** The annotations evaluation needs: row = bone·S + surgeon. */
export interface AnnotatedLayout {
  layout: { bones: number; surgeons: number };
  masks: readonly Uint8Array[];
}

/** One prediction compared with one surgeon's annotation. */
export interface Comparison {
  bone: number;
  surgeon: number;
  dice: number;
  rpd: number;
}

/**
 * The bones whose predictions a fold's evaluation needs: the held-out bone (Experiment 1), or
 * every bone (Experiment 2, where the held-out part is a surgeon, not a bone).
 *
 * @example
 * testBones(1, 4, { bones: 9, surgeons: 7 }); // [4]
 */
export function testBones(
  experiment: ExperimentId,
  fold: number,
  layout: AnnotatedLayout['layout'],
): number[] {
  return experiment === 1 ? [fold] : [...Array(layout.bones).keys()];
}

/**
 * The surgeons a bone's prediction is compared with: all of them on the held-out bone
 * (Experiment 1), the training surgeons (all but the held-out one, Experiment 2).
 *
 * @example
 * referenceSurgeons(2, 0, { bones: 9, surgeons: 7 }); // [1, 2, 3, 4, 5, 6]
 */
export function referenceSurgeons(
  experiment: ExperimentId,
  fold: number,
  layout: AnnotatedLayout['layout'],
): number[] {
  const all = [...Array(layout.surgeons).keys()];
  return experiment === 1 ? all : all.filter((s) => s !== fold);
}

function checkFold(experiment: ExperimentId, fold: number, data: AnnotatedLayout): void {
  const { bones, surgeons } = data.layout;
  const count = experiment === 1 ? bones : surgeons;
  if (!Number.isInteger(fold) || fold < 0 || fold >= count) {
    throw new RangeError(`experiment ${experiment} has folds 0..${count - 1}, got ${fold}`);
  }
  if (data.masks.length !== bones * surgeons) {
    throw new RangeError(
      `expected ${bones * surgeons} masks (${bones} bones × ${surgeons} surgeons), got ${data.masks.length}`,
    );
  }
}

/**
 * Scores a fold following the paper's protocol. Experiment 1: the held-out bone's prediction
 * against each of its surgeries, RPD with the map built from those surgeries. Experiment 2: every
 * bone's prediction against each training surgeon's surgery on that bone, RPD with the map built
 * from those.
 *
 * @example
 * const scores = evaluateFold(1, 0, dataset, (bone) => predictions.get(bone)!);
 */
export function evaluateFold(
  experiment: ExperimentId,
  fold: number,
  data: AnnotatedLayout,
  predictionFor: (bone: number) => ArrayLike<number>,
): Comparison[] {
  checkFold(experiment, fold, data);
  const { surgeons } = data.layout;
  const result: Comparison[] = [];
  for (const bone of testBones(experiment, fold, data.layout)) {
    const references = referenceSurgeons(experiment, fold, data.layout);
    const masks = references.map((s) => data.masks[bone * surgeons + s]!);
    const map = rewardPenaltyMap(masks);
    const prediction = predictionFor(bone);
    references.forEach((surgeon, i) => {
      const mask = masks[i]!;
      result.push({
        bone,
        surgeon,
        dice: dice(prediction, mask),
        rpd: rewardPenaltyDiceScore(prediction, mask, map),
      });
    });
  }
  return result;
}

/**
 * Experiment 2's surgeon baseline for one fold: the held-out surgeon's own surgeries scored like a
 * network's predictions, against the training surgeons on each bone.
 *
 * @example
 * surgeonBaseline(0, dataset).map((c) => c.dice);
 */
export function surgeonBaseline(fold: number, data: AnnotatedLayout): Comparison[] {
  const { surgeons } = data.layout;
  return evaluateFold(2, fold, data, (bone) => data.masks[bone * surgeons + fold]!);
}

/**
 * The atlas baseline for one fold: the training surgeries' voxel-wise mean, thresholded at 0.5,
 * used as the prediction. Experiment 1: the mean over every training row (the other bones);
 * Experiment 2: per bone, the mean over the training surgeons' surgeries on that bone.
 *
 * @example
 * atlasBaseline(1, 3, dataset).map((c) => c.dice);
 */
export function atlasBaseline(
  experiment: ExperimentId,
  fold: number,
  data: AnnotatedLayout,
): Comparison[] {
  checkFold(experiment, fold, data);
  const { bones, surgeons } = data.layout;
  if (experiment === 1) {
    const training = data.masks.filter((_, row) => Math.floor(row / surgeons) !== fold);
    const atlas = meanMask(training);
    return evaluateFold(1, fold, data, () => atlas);
  }
  const atlases = [...Array(bones).keys()].map((bone) =>
    meanMask(referenceSurgeons(2, fold, data.layout).map((s) => data.masks[bone * surgeons + s]!)),
  );
  return evaluateFold(2, fold, data, (bone) => atlases[bone]!);
}
