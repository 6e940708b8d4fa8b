import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import {
  engine,
  type GradConfig,
  getKernel,
  type KernelFunc,
  type NamedAttrMap,
  type Tensor,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { NativeAddon } from './native-binding.js';

/** The added kernel computing LeakyReLU's input gradient in one pass. */
export const LEAKY_RELU_GRAD_KERNEL = 'RpdlLeakyReluGrad';

function float32Of(backend: MathBackendCPU, t: TensorInfo): Float32Array {
  const values = backend.data.get(t.dataId).values;
  if (values instanceof Float32Array) return values;
  return Float32Array.from(backend.readSync(t.dataId) as ArrayLike<number>);
}

/**
 * The native kernel: inputs `dy`, `x` of one shape (float32), attr `alpha`; output
 * `x > 0 ? dy : alpha·dy`.
 *
 * @example
 * registerKernel({ kernelName: LEAKY_RELU_GRAD_KERNEL, backendName: 'cpu', kernelFunc: leakyReluGradNative(addon) });
 */
export function leakyReluGradNative(addon: NativeAddon): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const cpu = backend as MathBackendCPU;
    const { dy, x } = inputs as { dy?: TensorInfo; x?: TensorInfo };
    const { alpha } = (attrs ?? {}) as { alpha?: unknown };
    if (!dy || !x) throw new Error(`${LEAKY_RELU_GRAD_KERNEL}: inputs dy and x are required`);
    if (dy.dtype !== 'float32' || x.dtype !== 'float32') {
      throw new Error(
        `${LEAKY_RELU_GRAD_KERNEL}: dy and x must be float32, got ${dy.dtype} and ${x.dtype}`,
      );
    }
    if (dy.shape.length !== x.shape.length || dy.shape.some((n, i) => n !== x.shape[i])) {
      throw new Error(
        `${LEAKY_RELU_GRAD_KERNEL}: dy and x must have one shape, got [${dy.shape.join(', ')}] and [${x.shape.join(', ')}]`,
      );
    }
    if (typeof alpha !== 'number' || !Number.isFinite(alpha)) {
      throw new Error(
        `${LEAKY_RELU_GRAD_KERNEL}: attr alpha must be a finite number, got ${String(alpha)}`,
      );
    }
    const out = new Float32Array(dy.shape.reduce((a, b) => a * b, 1));
    addon.leakyReluGrad(float32Of(cpu, dy), float32Of(cpu, x), out, alpha);
    return cpu.makeTensorInfo(dy.shape, 'float32', out);
  };
}

/**
 * LeakyReLU's gradient, running {@link LEAKY_RELU_GRAD_KERNEL} when the active backend is `cpu`
 * and has it, and tfjs's own gradient (`where(x > 0, dy, alpha·dy)`) everywhere else. The
 * gradient registry is shared by every backend, so this dispatch keeps others unchanged.
 *
 * @example
 * registerGradient(nativeLeakyReluGradConfig(getGradient('LeakyRelu')!));
 */
export function nativeLeakyReluGradConfig(stock: GradConfig): GradConfig {
  return {
    ...stock,
    gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
      const upstream = Array.isArray(dy) ? (dy[0] as Tensor) : dy;
      const [x] = saved as [Tensor];
      if (
        engine().backendName === 'cpu' &&
        getKernel(LEAKY_RELU_GRAD_KERNEL, 'cpu') != null &&
        upstream.dtype === 'float32' &&
        x.dtype === 'float32'
      ) {
        return {
          x: () => engine().runKernel(LEAKY_RELU_GRAD_KERNEL, { dy: upstream, x }, attrs) as Tensor,
        };
      }
      return stock.gradFunc(dy, saved, attrs);
    },
  };
}
