import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { NativeAddon } from './native-binding.js';

/**
 * Kernel names of the fused batch-norm / group-norm training pass that `@rpdl/models-3d`'s
 * `BatchNormalization3D` and `GroupNormalization` call when the active backend registers them
 * (the contract is models-3d's `CHANNEL_NORM_KERNEL`; the names must stay equal).
 */
export const CHANNEL_NORM_KERNEL = 'RpdlChannelNorm';
/** The fused kernel's gradient (models-3d's `CHANNEL_NORM_GRAD_KERNEL`). */
export const CHANNEL_NORM_GRAD_KERNEL = 'RpdlChannelNormGrad';

interface Layout {
  blocks: number;
  rows: number;
  channels: number;
  groups: number;
  epsilon: number;
}

function layoutOf(x: TensorInfo, attrs: NamedAttrMap, kernel: string): Layout {
  const { groups, epsilon } = attrs as { groups?: unknown; epsilon?: unknown };
  if (x.shape.length !== 3) {
    throw new Error(
      `${kernel}: x must be [blocks, rows, channels], got shape [${x.shape.join(', ')}]`,
    );
  }
  const [blocks, rows, channels] = x.shape as [number, number, number];
  if (typeof groups !== 'number' || !Number.isInteger(groups) || groups < 1 || channels % groups) {
    throw new Error(
      `${kernel}: attr groups must be a positive integer dividing the ${channels} channels, got ${String(groups)}`,
    );
  }
  if (typeof epsilon !== 'number' || !(epsilon > 0)) {
    throw new Error(`${kernel}: attr epsilon must be a number > 0, got ${String(epsilon)}`);
  }
  if (blocks * rows * channels === 0) {
    throw new Error(`${kernel}: x is empty (shape [${x.shape.join(', ')}])`);
  }
  return { blocks, rows, channels, groups, epsilon };
}

/** A float32 tensor's values as a Float32Array (a copy when the backend holds another array). */
function float32Of(backend: MathBackendCPU, t: TensorInfo, kernel: string, name: string) {
  if (t.dtype !== 'float32') {
    throw new Error(`${kernel}: ${name} must be float32, got ${t.dtype}`);
  }
  const values = backend.data.get(t.dataId).values;
  if (values instanceof Float32Array) return values;
  return Float32Array.from(backend.readSync(t.dataId) as ArrayLike<number>);
}

function expectShape(t: TensorInfo, shape: number[], kernel: string, name: string): void {
  if (t.shape.length !== shape.length || t.shape.some((n, i) => n !== shape[i])) {
    throw new Error(
      `${kernel}: ${name} must have shape [${shape.join(', ')}], got [${t.shape.join(', ')}]`,
    );
  }
}

/**
 * The fused normalisation forward kernel: inputs `x` `[blocks, rows, channels]`, `gamma`,
 * `beta` `[channels]`; attrs `groups`, `epsilon`; outputs `[y, mean, variance]`.
 *
 * @example
 * registerKernel({ kernelName: CHANNEL_NORM_KERNEL, backendName: 'cpu', kernelFunc: channelNormNative(addon) });
 */
export function channelNormNative(addon: NativeAddon) {
  return (args: {
    inputs: NamedTensorInfoMap;
    backend: unknown;
    attrs?: NamedAttrMap;
  }): TensorInfo[] => {
    const backend = args.backend as MathBackendCPU;
    const { x, gamma, beta } = args.inputs as Record<string, TensorInfo>;
    const kernel = CHANNEL_NORM_KERNEL;
    if (!x || !gamma || !beta) throw new Error(`${kernel}: inputs x, gamma and beta are required`);
    const l = layoutOf(x, args.attrs ?? {}, kernel);
    expectShape(gamma, [l.channels], kernel, 'gamma');
    expectShape(beta, [l.channels], kernel, 'beta');
    const y = new Float32Array(l.blocks * l.rows * l.channels);
    const mean = new Float32Array(l.blocks * l.groups);
    const variance = new Float32Array(l.blocks * l.groups);
    addon.channelNormForward(
      float32Of(backend, x, kernel, 'x'),
      float32Of(backend, gamma, kernel, 'gamma'),
      float32Of(backend, beta, kernel, 'beta'),
      y,
      mean,
      variance,
      l.blocks,
      l.rows,
      l.channels,
      l.groups,
      l.epsilon,
    );
    return [
      backend.makeTensorInfo(x.shape, 'float32', y),
      backend.makeTensorInfo([l.blocks, l.groups], 'float32', mean),
      backend.makeTensorInfo([l.blocks, l.groups], 'float32', variance),
    ];
  };
}

/**
 * The fused normalisation gradient kernel: inputs `dy`, `x`, `mean`, `variance`, `gamma`;
 * outputs `[dx, dgamma, dbeta]`.
 *
 * @example
 * registerKernel({ kernelName: CHANNEL_NORM_GRAD_KERNEL, backendName: 'cpu', kernelFunc: channelNormGradNative(addon) });
 */
export function channelNormGradNative(addon: NativeAddon) {
  return (args: {
    inputs: NamedTensorInfoMap;
    backend: unknown;
    attrs?: NamedAttrMap;
  }): TensorInfo[] => {
    const backend = args.backend as MathBackendCPU;
    const { dy, x, mean, variance, gamma } = args.inputs as Record<string, TensorInfo>;
    const kernel = CHANNEL_NORM_GRAD_KERNEL;
    if (!dy || !x || !mean || !variance || !gamma) {
      throw new Error(`${kernel}: inputs dy, x, mean, variance and gamma are required`);
    }
    const l = layoutOf(x, args.attrs ?? {}, kernel);
    expectShape(dy, x.shape, kernel, 'dy');
    expectShape(mean, [l.blocks, l.groups], kernel, 'mean');
    expectShape(variance, [l.blocks, l.groups], kernel, 'variance');
    expectShape(gamma, [l.channels], kernel, 'gamma');
    const dx = new Float32Array(l.blocks * l.rows * l.channels);
    const dgamma = new Float32Array(l.channels);
    const dbeta = new Float32Array(l.channels);
    addon.channelNormBackward(
      float32Of(backend, dy, kernel, 'dy'),
      float32Of(backend, x, kernel, 'x'),
      float32Of(backend, mean, kernel, 'mean'),
      float32Of(backend, variance, kernel, 'variance'),
      float32Of(backend, gamma, kernel, 'gamma'),
      dx,
      dgamma,
      dbeta,
      l.blocks,
      l.rows,
      l.channels,
      l.groups,
      l.epsilon,
    );
    return [
      backend.makeTensorInfo(x.shape, 'float32', dx),
      backend.makeTensorInfo([l.channels], 'float32', dgamma),
      backend.makeTensorInfo([l.channels], 'float32', dbeta),
    ];
  };
}
