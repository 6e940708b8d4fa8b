/**
 * `@rpdl/losses/metrics`: the evaluation metrics on plain arrays and typed arrays, one image at a
 * time. This entry imports nothing from TensorFlow.js, so it works without tfjs installed.
 */
export type { Volume } from './typed/arrays.js';
export {
  DEFAULT_THRESHOLDS,
  type ExpectedCalibrationErrorOptions,
  expectedCalibrationError,
  generalizedEnergyDistance,
  type ThresholdAveragedDiceOptions,
  thresholdAveragedDice,
} from './typed/multi-rater.js';
export { binarize, dice, type MetricOptions, rewardPenaltyDice } from './typed/overlap.js';
export { type MeanStd, meanStd } from './typed/summary.js';
