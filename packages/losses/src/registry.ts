import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import { diceLoss } from './dice-loss.js';
import { rewardPenaltyDiceLoss } from './reward-penalty-dice-loss.js';
import { softDiceLoss } from './soft-dice-loss.js';
import { weightedCrossEntropy } from './weighted-cross-entropy.js';

/** Every loss the registry knows, by the name the CLI, the trainer and the examples use. */
export const LOSS_NAMES = ['wcel', 'dl', 'rpdl', 'soft-dice', 'staple-dl', 'majority-dl'] as const;
export type LossName = (typeof LOSS_NAMES)[number];

/** The three losses the paper compares (its default grid). */
export const PAPER_LOSSES: readonly LossName[] = ['wcel', 'dl', 'rpdl'];

/**
 * What the `yTrue` tensor fed to a loss is: one annotator's mask, the mean of the image's
 * training annotations, the STAPLE consensus binarised at ≥ 0.5, or the majority vote.
 */
export type TrainingTarget = 'annotation' | 'mean-annotation' | 'staple' | 'majority-vote';

/** The inputs beyond `(yTrue, yPred)` that some losses need; see {@link LossEntry.needs}. */
export interface LossInputs {
  /** The reward-penalty map of each sample's image, `yTrue`'s shape (RPDL). */
  map?: Tensor;
  /** w of the weighted cross-entropy (Eq. 1), e.g. `foregroundWeight(masks)`. */
  foregroundWeight?: number;
  /** Passed to the loss as its `validate` option (default true); false skips the read-back. */
  validate?: boolean;
}

export interface LossEntry {
  readonly name: LossName;
  /** The name in tables: 'WCEL', 'DL', 'RPDL', 'Soft Dice', 'STAPLE-DL', 'Majority-DL'. */
  readonly label: string;
  readonly description: string;
  readonly needs: {
    readonly rewardPenaltyMap: boolean;
    readonly foregroundWeight: boolean;
    readonly target: TrainingTarget;
  };
  /**
   * The loss of one batch. `yTrue` must already be the target `needs.target` names.
   * @throws Error when an input `needs` asks for is missing, plus the loss's own errors.
   */
  compute(yTrue: Tensor, yPred: Tensor, inputs: LossInputs): Scalar;
}

function requireMap(name: LossName, inputs: LossInputs | undefined): Tensor {
  const map = inputs?.map;
  if (map === undefined) {
    throw new TypeError(
      `loss '${name}' needs inputs.map, the reward-penalty map of each sample's image (rewardPenaltyMap from @rpdl/rpmap)`,
    );
  }
  return map;
}

function requireWeight(name: LossName, inputs: LossInputs | undefined): number {
  const weight = inputs?.foregroundWeight;
  if (weight === undefined) {
    throw new TypeError(
      `loss '${name}' needs inputs.foregroundWeight, the foreground weight w (e.g. foregroundWeight(trainingMasks))`,
    );
  }
  return weight;
}

const NO_EXTRAS = { rewardPenaltyMap: false, foregroundWeight: false } as const;

const ENTRIES: { readonly [N in LossName]: LossEntry & { readonly name: N } } = {
  wcel: {
    name: 'wcel',
    label: 'WCEL',
    description: 'Weighted cross-entropy (paper Eq. 1) on one annotation, foreground weighted by w',
    needs: { rewardPenaltyMap: false, foregroundWeight: true, target: 'annotation' },
    compute: (yTrue, yPred, inputs) =>
      weightedCrossEntropy(yTrue, yPred, {
        weight: requireWeight('wcel', inputs),
        validate: inputs?.validate,
      }),
  },
  dl: {
    name: 'dl',
    label: 'DL',
    description: 'Dice loss (paper Eq. 2) on one annotation',
    needs: { ...NO_EXTRAS, target: 'annotation' },
    compute: (yTrue, yPred, inputs) => diceLoss(yTrue, yPred, { validate: inputs?.validate }),
  },
  rpdl: {
    name: 'rpdl',
    label: 'RPDL',
    description: "Reward-penalty Dice loss (paper Eq. 3) on one annotation with its image's map",
    needs: { rewardPenaltyMap: true, foregroundWeight: false, target: 'annotation' },
    compute: (yTrue, yPred, inputs) =>
      rewardPenaltyDiceLoss(yTrue, yPred, requireMap('rpdl', inputs), {
        validate: inputs?.validate,
      }),
  },
  'soft-dice': {
    name: 'soft-dice',
    label: 'Soft Dice',
    description: "Soft Dice loss on the mean of the image's training annotations",
    needs: { ...NO_EXTRAS, target: 'mean-annotation' },
    compute: (yTrue, yPred, inputs) => softDiceLoss(yTrue, yPred, { validate: inputs?.validate }),
  },
  'staple-dl': {
    name: 'staple-dl',
    label: 'STAPLE-DL',
    description: "Dice loss on the STAPLE consensus of the image's annotations, binarised at ≥ 0.5",
    needs: { ...NO_EXTRAS, target: 'staple' },
    compute: (yTrue, yPred, inputs) => diceLoss(yTrue, yPred, { validate: inputs?.validate }),
  },
  'majority-dl': {
    name: 'majority-dl',
    label: 'Majority-DL',
    description: "Dice loss on the majority vote of the image's annotations (a tie is foreground)",
    needs: { ...NO_EXTRAS, target: 'majority-vote' },
    compute: (yTrue, yPred, inputs) => diceLoss(yTrue, yPred, { validate: inputs?.validate }),
  },
};

/**
 * True when `value` is one of {@link LOSS_NAMES}.
 *
 * @example
 * isLossName('rpdl'); // true
 * isLossName('RPDL'); // false: names are lower case
 */
export function isLossName(value: string): value is LossName {
  return (LOSS_NAMES as readonly string[]).includes(value);
}

/**
 * The registry entry of a loss: what it needs and how to compute it.
 *
 * @throws RangeError on an unknown name, listing the valid ones.
 *
 * @example
 * const entry = getLoss('rpdl');
 * entry.needs.rewardPenaltyMap; // true
 * const loss = entry.compute(y, p, { map }); // = rewardPenaltyDiceLoss(y, p, map)
 */
export function getLoss(name: string): LossEntry {
  if (!isLossName(name)) {
    throw new RangeError(`unknown loss '${name}'; expected one of ${LOSS_NAMES.join(', ')}`);
  }
  return ENTRIES[name];
}

/**
 * Parses a comma-separated list of loss names, e.g. a `--losses` option (spaces around names
 * are ignored).
 *
 * @throws RangeError on an empty list or item, an unknown name (listing the valid ones) or a
 *   name given twice.
 *
 * @example
 * parseLossList('dl, rpdl,soft-dice'); // ['dl', 'rpdl', 'soft-dice']
 */
export function parseLossList(text: string): LossName[] {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new RangeError(
      `loss list is empty; expected comma-separated names from ${LOSS_NAMES.join(', ')}`,
    );
  }
  const names: LossName[] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (item === '') {
      throw new RangeError(`loss list '${text}' has an empty item; expected names like 'dl,rpdl'`);
    }
    if (!isLossName(item)) {
      throw new RangeError(
        `loss list '${text}': unknown loss '${item}'; expected one of ${LOSS_NAMES.join(', ')}`,
      );
    }
    if (names.includes(item)) {
      throw new RangeError(`loss list '${text}' names '${item}' twice; give each loss once`);
    }
    names.push(item);
  }
  return names;
}
