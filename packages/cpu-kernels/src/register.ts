// Importing the cpu backend first guarantees its stock kernels are in the registry before they
// are replaced, and that a later import of it cannot overwrite the native ones.
import '@tensorflow/tfjs-backend-cpu';
import {
  type GradConfig,
  getGradient,
  getKernel,
  type KernelConfig,
  type KernelFunc,
  registerGradient,
  registerKernel,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import { ADAM_UPDATE_KERNEL, adamUpdateNative } from './adam-kernel.js';
import type { UnavailableCause } from './build-diagnosis.js';
import {
  CHANNEL_NORM_GRAD_KERNEL,
  CHANNEL_NORM_KERNEL,
  channelNormGradNative,
  channelNormNative,
} from './channel-norm-kernels.js';
import {
  conv3dBackpropFilterNative,
  conv3dBackpropInputNative,
  conv3dNative,
} from './conv3d-kernels.js';
import {
  BINARY_KERNELS,
  binaryNative,
  concatNative,
  leakyReluNative,
  reduceNative,
  selectNative,
  splitNative,
  UNARY_KERNELS,
  unaryNative,
} from './elementwise-kernels.js';
import { type NativeKernelImpl, withFallback } from './kernel-support.js';
import {
  LEAKY_RELU_GRAD_KERNEL,
  leakyReluGradNative,
  nativeLeakyReluGradConfig,
} from './leaky-relu-grad.js';
import { maxPool3dGradNative, maxPool3dNative } from './max-pool3d-kernels.js';
import { loadNativeAddon, type NativeAddon } from './native-binding.js';
import {
  UP_SAMPLING_3D_GRAD_KERNEL,
  UP_SAMPLING_3D_KERNEL,
  upSampling3dGradNative,
  upSampling3dNative,
} from './up-sampling-kernels.js';

const BACKEND = 'cpu';

/** Every kernel this package replaces, with the factory of its native implementation. */
const NATIVE_KERNELS: ReadonlyArray<readonly [string, (addon: NativeAddon) => NativeKernelImpl]> = [
  ['Conv3D', conv3dNative],
  ['Conv3DBackpropInputV2', conv3dBackpropInputNative],
  ['Conv3DBackpropFilterV2', conv3dBackpropFilterNative],
  ['MaxPool3D', maxPool3dNative],
  ['MaxPool3DGrad', maxPool3dGradNative],
  ...BINARY_KERNELS.map(
    ([name, op, dtype]) => [name, (addon: NativeAddon) => binaryNative(addon, op, dtype)] as const,
  ),
  ['Sum', (addon) => reduceNative(addon, false)],
  ['Mean', (addon) => reduceNative(addon, true)],
  ['Concat', concatNative],
  ['SplitV', splitNative],
  ['LeakyRelu', leakyReluNative],
  ['Select', selectNative],
  ...UNARY_KERNELS.map(
    ([name, op]) => [name, (addon: NativeAddon) => unaryNative(addon, op)] as const,
  ),
];

/**
 * Kernels the stock backend lacks, added rather than replaced: the fused normalisation and the
 * up-sampling that `@rpdl/models-3d`'s layers call, and the fused Adam update of
 * `@rpdl/training`, when the active backend has them.
 */
const ADDED_KERNELS: ReadonlyArray<readonly [string, (addon: NativeAddon) => KernelFunc]> = [
  [CHANNEL_NORM_KERNEL, (addon) => channelNormNative(addon) as unknown as KernelFunc],
  [CHANNEL_NORM_GRAD_KERNEL, (addon) => channelNormGradNative(addon) as unknown as KernelFunc],
  [LEAKY_RELU_GRAD_KERNEL, leakyReluGradNative],
  [UP_SAMPLING_3D_KERNEL, upSampling3dNative],
  [UP_SAMPLING_3D_GRAD_KERNEL, upSampling3dGradNative],
  [ADAM_UPDATE_KERNEL, adamUpdateNative],
];

/** tfjs's own LeakyReLU gradient while the dispatching one is registered. */
let stockLeakyReluGrad: GradConfig | undefined;

/** Whether the native kernels can be (or are) used, and which. */
export interface CpuKernelStatus {
  /** The addon loaded: registering replaces `kernels`. */
  available: boolean;
  /** When unavailable: one line saying why and how to enable the native kernels. */
  reason?: string;
  /** When unavailable: the cause, for programs that advise differently per cause. */
  cause?: UnavailableCause;
  /** Names of the cpu kernels that are (after registering) or would be replaced. */
  kernels: string[];
  /** oneDNN's version, when available. */
  onednnVersion?: string;
  /** Whether the native kernels are currently registered. */
  registered: boolean;
}

const stockConfigs = new Map<string, KernelConfig>();

/**
 * Reports whether the native kernels are available, without registering anything.
 *
 * @example
 * const status = nativeKernelStatus();
 * if (!status.available) console.warn(status.reason);
 */
export function nativeKernelStatus(): CpuKernelStatus {
  const { addon, reason, cause } = loadNativeAddon();
  if (!addon) return { available: false, reason, cause, kernels: [], registered: false };
  return {
    available: true,
    kernels: [...NATIVE_KERNELS, ...ADDED_KERNELS].map(([name]) => name),
    onednnVersion: addon.onednnVersion(),
    registered: stockConfigs.size > 0,
  };
}

/**
 * Replaces the tfjs `cpu` backend's 3D convolution and pooling kernels with native oneDNN ones,
 * and its float32 arithmetic, reduction, concat/split, LeakyReLU and select kernels with
 * multi-threaded native loops,
 * when the addon is available; otherwise changes nothing and says how to enable them. Calling it
 * again is harmless.
 *
 * @example
 * import '@tensorflow/tfjs-backend-cpu';
 * import { registerCpuKernels } from '@rpdl/cpu-kernels';
 * const { available, reason, kernels } = registerCpuKernels();
 * console.log(available ? `native: ${kernels.join(', ')}` : reason);
 */
export function registerCpuKernels(): CpuKernelStatus {
  const { addon } = loadNativeAddon();
  if (addon && stockConfigs.size === 0) {
    for (const [name, factory] of NATIVE_KERNELS) {
      const stock = getKernel(name, BACKEND);
      if (!stock) throw new Error(`the tfjs cpu backend has no '${name}' kernel to replace`);
      stockConfigs.set(name, stock);
      unregisterKernel(name, BACKEND);
      registerKernel(withFallback(stock, factory(addon)));
    }
    for (const [name, factory] of ADDED_KERNELS) {
      registerKernel({ kernelName: name, backendName: BACKEND, kernelFunc: factory(addon) });
    }
    // tfjs's gradients are registered by whoever loads them (tfjs-layers, @tensorflow/tfjs);
    // without them there is nothing to differentiate yet, and nothing to replace.
    const leakyGrad = getGradient('LeakyRelu');
    if (leakyGrad) {
      stockLeakyReluGrad = leakyGrad;
      registerGradient(nativeLeakyReluGradConfig(leakyGrad));
    }
  }
  return nativeKernelStatus();
}

/**
 * Puts the stock tfjs kernels back and removes the added ones (for side-by-side comparisons);
 * returns the names of the kernels restored or removed.
 *
 * @example
 * registerCpuKernels();
 * unregisterCpuKernels(); // stock kernels again
 */
export function unregisterCpuKernels(): string[] {
  const restored = [...stockConfigs.keys()];
  for (const [name, stock] of stockConfigs) {
    unregisterKernel(name, BACKEND);
    registerKernel(stock);
  }
  if (stockConfigs.size > 0) {
    for (const [name] of ADDED_KERNELS) {
      if (getKernel(name, BACKEND)) unregisterKernel(name, BACKEND);
      restored.push(name);
    }
  }
  if (stockLeakyReluGrad) {
    registerGradient(stockLeakyReluGrad);
    stockLeakyReluGrad = undefined;
  }
  stockConfigs.clear();
  return restored;
}

/**
 * The stock tfjs `cpu` kernel config for a kernel name, whether or not the native one is
 * registered; `undefined` for a kernel the cpu backend does not have.
 *
 * @example
 * const stockConv = stockKernel('Conv3D');
 */
export function stockKernel(name: string): KernelConfig | undefined {
  return stockConfigs.get(name) ?? getKernel(name, BACKEND);
}
