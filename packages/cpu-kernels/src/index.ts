export { ADAM_UPDATE_KERNEL } from './adam-kernel.js';
export {
  diagnoseMissingAddon,
  probeSystem,
  type SystemProbe,
  type UnavailableCause,
} from './build-diagnosis.js';
export { CHANNEL_NORM_GRAD_KERNEL, CHANNEL_NORM_KERNEL } from './channel-norm-kernels.js';
export { convGeometry } from './conv3d-kernels.js';
export { type Geometry3D, nativeFallbacks } from './kernel-support.js';
export { LEAKY_RELU_GRAD_KERNEL } from './leaky-relu-grad.js';
export { addonPath, type NativeAddon } from './native-binding.js';
export {
  type CpuKernelStatus,
  nativeKernelStatus,
  registerCpuKernels,
  stockKernel,
  unregisterCpuKernels,
} from './register.js';
export { UP_SAMPLING_3D_GRAD_KERNEL, UP_SAMPLING_3D_KERNEL } from './up-sampling-kernels.js';
