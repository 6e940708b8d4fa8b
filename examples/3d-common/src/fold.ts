import { type CmDataset, generatePhantom, leaveOneBoneOut } from '@rpdl/cm-dataset';
import { countAnnotations, rewardPenaltyMap } from '@rpdl/rpmap';
import type { ExampleSettings } from './flags.js';

/** One leave-one-bone-out fold of the phantom (the paper's Experiment 1). */
export interface Fold {
  dataset: CmDataset;
  /** Training rows: every surgery on every other bone. */
  trainRows: number[];
  heldOutBone: number;
  /** The held-out bone's drilled regions, one per surgeon. */
  heldOutMasks: Uint8Array[];
  /** How many of the held-out bone's surgeons drilled each voxel. */
  heldOutCounts: Uint16Array;
  /** The held-out bone's reward-penalty map, from its own surgeons (for RPD). */
  heldOutMap: Float32Array;
}

/**
 * Generates the phantom and splits off the held-out bone. The held-out bone's surgeries never
 * reach training, and its map, used only to score, is built from them alone.
 *
 * @example
 * const fold = phantomFold({ ...settings, size: 16, heldOutBone: 0 });
 */
export function phantomFold(
  settings: Pick<ExampleSettings, 'size' | 'bones' | 'surgeons' | 'seed' | 'heldOutBone'>,
): Fold {
  const { size, bones, surgeons, seed, heldOutBone } = settings;
  const dataset = generatePhantom({ size, bones, surgeons, seed });
  const split = leaveOneBoneOut(heldOutBone, dataset.layout);
  const heldOutMasks = split.test.map((row) => dataset.masks[row]!);
  return {
    dataset,
    trainRows: [...split.train],
    heldOutBone,
    heldOutMasks,
    heldOutCounts: countAnnotations(heldOutMasks),
    heldOutMap: rewardPenaltyMap(heldOutMasks),
  };
}
