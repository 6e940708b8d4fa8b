import { meanStd } from '@rpdl/losses/metrics';
import type { CmDataset } from './dataset.js';

/** Summary figures of a multi-annotator dataset. */
export interface DatasetStatistics {
  /** Mean over rows of the fraction of voxels marked. */
  foregroundFraction: number;
  /** Per bone, the mean Dice over all pairs of its surgeons' masks. */
  pairwiseDicePerBone: number[];
  /** Mean and (population) standard deviation of `pairwiseDicePerBone`; NaN with one surgeon per bone. */
  pairwiseDiceMean: number;
  pairwiseDiceStd: number;
  /** Fraction of voxels per label 0..13, over all inputs. */
  labelFractions: number[];
}

/**
 * Foreground fraction, inter-surgeon agreement (mean pairwise Dice per bone) and label
 * frequencies: the figures the phantom is tuned to and documented with.
 *
 * @example
 * const stats = datasetStatistics(generatePhantom({ size: 32, seed: 1 }));
 * stats.foregroundFraction; // ≈ 0.04
 */
export function datasetStatistics(dataset: CmDataset): DatasetStatistics {
  const { bones, surgeons } = dataset.layout;
  const voxels = dataset.spatialShape[0] * dataset.spatialShape[1] * dataset.spatialShape[2];
  const sums = dataset.masks.map((m) => {
    let s = 0;
    for (let i = 0; i < m.length; i++) s += m[i]!;
    return s;
  });
  const foregroundFraction = sums.reduce((a, s) => a + s / voxels, 0) / sums.length;
  const pairwiseDicePerBone: number[] = [];
  for (let b = 0; b < bones; b++) {
    let total = 0;
    let pairs = 0;
    for (let s = 0; s < surgeons; s++) {
      for (let t = s + 1; t < surgeons; t++) {
        const r1 = b * surgeons + s;
        const r2 = b * surgeons + t;
        const m1 = dataset.masks[r1]!;
        const m2 = dataset.masks[r2]!;
        let overlap = 0;
        for (let i = 0; i < voxels; i++) overlap += m1[i]! & m2[i]!;
        const denominator = sums[r1]! + sums[r2]!;
        total += denominator === 0 ? 1 : (2 * overlap) / denominator;
        pairs++;
      }
    }
    pairwiseDicePerBone.push(pairs === 0 ? Number.NaN : total / pairs);
  }
  // With one surgeon per bone there is no pair to compare: the agreement is undefined (NaN).
  const agreement =
    surgeons >= 2 ? meanStd(pairwiseDicePerBone) : { mean: Number.NaN, std: Number.NaN };
  const counts = new Array<number>(14).fill(0);
  for (const input of dataset.inputs) for (let i = 0; i < voxels; i++) counts[input[i]!]!++;
  return {
    foregroundFraction,
    pairwiseDicePerBone,
    pairwiseDiceMean: agreement.mean,
    pairwiseDiceStd: agreement.std,
    labelFractions: counts.map((c) => c / (voxels * bones)),
  };
}
