export { diceCoefficient, type ThresholdOptions } from './dice-coefficient.js';
export { type DiceLossOptions, diceLoss } from './dice-loss.js';
export { encodedRewardPenaltyDiceLoss, encodeTargetAndMap } from './encoded.js';
export { foregroundWeight, type MaskSource } from './foreground-weight.js';
export type { GradientMode } from './gradient-mode.js';
export type { GroupingOptions } from './grouping.js';
export { packedRewardPenaltyDiceLoss, packTargetAndMap } from './packed.js';
export {
  type ReferenceRewardPenaltyDiceLossOptions,
  referenceRewardPenaltyDiceLoss,
} from './reference-reward-penalty-dice-loss.js';
export {
  getLoss,
  isLossName,
  LOSS_NAMES,
  type LossEntry,
  type LossInputs,
  type LossName,
  PAPER_LOSSES,
  parseLossList,
  type TrainingTarget,
} from './registry.js';
export { rewardPenaltyDice } from './reward-penalty-dice.js';
export {
  type RewardPenaltyDiceLossOptions,
  rewardPenaltyDiceLoss,
} from './reward-penalty-dice-loss.js';
export { type SoftDiceLossOptions, softDiceLoss } from './soft-dice-loss.js';
export type { ValidationOptions } from './validate.js';
export {
  type WeightedCrossEntropyOptions,
  weightedCrossEntropy,
} from './weighted-cross-entropy.js';
