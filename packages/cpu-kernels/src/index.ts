export { convGeometry } from './conv3d-kernels.js';
export { type Geometry3D, nativeFallbacks } from './kernel-support.js';
export { addonPath, type NativeAddon } from './native-binding.js';
export {
  type CpuKernelStatus,
  nativeKernelStatus,
  registerCpuKernels,
  stockKernel,
  unregisterCpuKernels,
} from './register.js';
