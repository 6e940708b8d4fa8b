import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type {
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  NamedTensorInfoMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';

/** The three-per-axis spatial geometry of a 3D convolution or pooling, depth/height/width order. */
export interface Geometry3D {
  strides: readonly [number, number, number];
  dilations: readonly [number, number, number];
  padBefore: readonly [number, number, number];
  padAfter: readonly [number, number, number];
}

export type Shape5 = [number, number, number, number, number];

/**
 * Packs three 5-long shapes and a geometry into the 27 integers the addon reads.
 *
 * @example
 * const params = convParams([1, 8, 8, 8, 1], [3, 3, 3, 1, 4], [1, 8, 8, 8, 4], {
 *   strides: [1, 1, 1], dilations: [1, 1, 1], padBefore: [1, 1, 1], padAfter: [1, 1, 1],
 * });
 */
export function convParams(
  a: Readonly<Shape5>,
  b: Readonly<Shape5>,
  c: Readonly<Shape5>,
  g: Geometry3D,
): Int32Array {
  const params = new Int32Array(27);
  params.set(a, 0);
  params.set(b, 5);
  params.set(c, 10);
  params.set(g.strides, 15);
  params.set(g.dilations, 18);
  params.set(g.padBefore, 21);
  params.set(g.padAfter, 24);
  return params;
}

/**
 * Narrows a tensor shape to rank 5, throwing with the offending shape otherwise.
 *
 * @example
 * const [n, d, h, w, c] = shape5(x.shape, 'x');
 */
export function shape5(shape: readonly number[], name: string): Shape5 {
  if (shape.length !== 5) {
    throw new Error(`${name} must have rank 5 (NDHWC), got shape [${shape.join(', ')}]`);
  }
  return shape as unknown as Shape5;
}

/**
 * The float32 values behind a tensor on the cpu backend, without copying.
 *
 * @example
 * const xs = float32Values(backend, x, 'x');
 */
export function float32Values(backend: MathBackendCPU, t: TensorInfo, name: string): Float32Array {
  const values = backend.data.get(t.dataId).values;
  if (!(values instanceof Float32Array)) {
    throw new Error(`${name} must be float32 data, got dtype ${t.dtype}`);
  }
  return values;
}

/**
 * The Float32Array behind a float32 tensor, or `undefined` when the cpu backend keeps it in
 * another array type: its `Cast` from bool to float32 shares the bool tensor's Uint8Array. Such
 * tensors are left to the stock kernel, which reads any numeric array.
 *
 * @example
 * const a = float32ValuesIfPlain(backend, inputs.a);
 * if (a === undefined) return undefined; // stock kernel
 */
export function float32ValuesIfPlain(
  backend: MathBackendCPU,
  t: TensorInfo,
): Float32Array | undefined {
  const values = backend.data.get(t.dataId).values;
  return t.dtype === 'float32' && values instanceof Float32Array ? values : undefined;
}

/** One kernel's native implementation; returning `undefined` means "let the stock kernel do it". */
export type NativeKernelImpl = (
  inputs: NamedTensorInfoMap,
  backend: MathBackendCPU,
  attrs: NamedAttrMap,
) => TensorInfo | TensorInfo[] | undefined;

/** Why a native kernel handed a call to the stock kernel, first occurrence per kernel. */
const fallbackReasons = new Map<string, string>();

/**
 * Kernels that have fallen back to the stock implementation at least once, with the first reason.
 *
 * @example
 * for (const [kernel, why] of nativeFallbacks()) console.warn(kernel, why);
 */
export function nativeFallbacks(): ReadonlyMap<string, string> {
  return fallbackReasons;
}

/**
 * Wraps a native implementation into a kernel config that falls back to the stock kernel for
 * configurations the native side declines or rejects, so registering never breaks a model.
 *
 * @example
 * registerKernel(withFallback(getKernel('Conv3D', 'cpu'), conv3dNative));
 */
export function withFallback(stock: KernelConfig, impl: NativeKernelImpl): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const backend = args.backend as MathBackendCPU;
    let result: TensorInfo | TensorInfo[] | undefined;
    try {
      result = impl(args.inputs, backend, args.attrs ?? {});
    } catch (error) {
      if (!fallbackReasons.has(stock.kernelName)) {
        fallbackReasons.set(
          stock.kernelName,
          error instanceof Error ? error.message : String(error),
        );
      }
    }
    return result ?? stock.kernelFunc(args);
  };
  return { ...stock, kernelFunc };
}
