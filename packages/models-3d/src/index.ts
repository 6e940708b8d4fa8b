import './register.js';

export { levelFilters } from './filters.js';
export { conv3DBackpropInputV2GradConfig } from './gradients/conv3d-backprop-input-v2-grad.js';
export {
  BatchNormalization3D,
  type BatchNormalization3DArgs,
  batchNormalization3d,
} from './layers/batch-normalization-3d.js';
export {
  CHANNEL_NORM_GRAD_KERNEL,
  CHANNEL_NORM_KERNEL,
  type ChannelNormAttrs,
  channelNormGradConfig,
  fusedChannelNorm,
  fusedChannelNormAvailable,
} from './layers/channel-norm-kernel.js';
export {
  GroupNormalization,
  type GroupNormalizationArgs,
  groupNormalization,
} from './layers/group-normalization.js';
export { layerRandom } from './layers/layer-random.js';
export type { CallKwargs, LayerArgs } from './layers/layer-types.js';
export {
  SpatialDropout3D,
  type SpatialDropout3DArgs,
  spatialDropout3d,
} from './layers/spatial-dropout-3d.js';
export { UpSampling3D, type UpSampling3DArgs, upSampling3d } from './layers/up-sampling-3d.js';
export {
  fusedUpSampling3d,
  fusedUpSampling3dAvailable,
  UP_SAMPLING_3D_GRAD_KERNEL,
  UP_SAMPLING_3D_KERNEL,
  type UpSampling3DAttrs,
  upSampling3dGradConfig,
} from './layers/up-sampling-kernel.js';
export { VaeSampling, type VaeSamplingArgs, vaeSampling } from './layers/vae-sampling.js';
export { buildModel, type OptionsFor } from './models/build-model.js';
export { isensee2017 } from './models/isensee2017.js';
export {
  type HiddenActivation,
  type Myronenko2018Options,
  myronenko2018,
} from './models/myronenko2018.js';
export { type Myronenko2018LossInputs, myronenko2018Loss } from './models/myronenko2018-loss.js';
export {
  MODEL_NAMES,
  type ModelName,
  type ModelOptions,
  type OutputActivation,
  PAPER_DEFAULTS,
  type ResolvedModelOptions,
  resolveModelOptions,
  type UnetFamilyOptions,
} from './models/options.js';
export {
  buildSegmentationNetwork,
  type SegmentationLoss,
  type SegmentationNetwork,
  segmentWith,
} from './models/segmentation-network.js';
export { type ResolvedUnetFamilyOptions, resolveUnetFamilyOptions } from './models/unet-family.js';
export { unet3d } from './models/unet3d.js';
export { vnet3d } from './models/vnet3d.js';
