export { countAnnotations } from './count-annotations.js';
export { type ReferenceTargetOptions, referenceTarget } from './reference-target.js';
export {
  type MapScale,
  type RewardPenaltyMapOptions,
  rewardPenaltyMap,
} from './reward-penalty-map.js';
