export { countAnnotations } from './count-annotations.js';
export { majorityVote, meanAnnotation } from './label-fusion.js';
export { type ReferenceTargetOptions, referenceTarget } from './reference-target.js';
export {
  type MapScale,
  type RewardPenaltyMapOptions,
  rewardPenaltyMap,
} from './reward-penalty-map.js';
export { type StapleOptions, type StapleResult, staple } from './staple.js';
