// Shared by the test files only (not exported from the package).
import { engine, type NamedAttrMap, type Tensor, tensor } from '@tensorflow/tfjs-core';
import { prng } from '../../../tooling/testing/prng.js';
import { nativeKernelStatus, registerCpuKernels, unregisterCpuKernels } from './register.js';

export { prng };

/** A float32 tensor of uniform values in [-1, 1). */
export function randomTensor(shape: number[], random: () => number): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = random() * 2 - 1;
  return tensor(values, shape, 'float32');
}

/** max |a − b| / max |b|: the relative error used throughout (b is the stock reference). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return scale === 0 ? diff : diff / scale;
}

/**
 * Runs one kernel by name through the engine, stock first then native; returns both outputs.
 * `Concat` takes its inputs as an array, as tfjs's own op passes them.
 */
export function stockAndNative(
  kernel: string,
  inputs: Record<string, Tensor> | Tensor[],
  attrs: NamedAttrMap,
): { stock: Float32Array; native: Float32Array; shape: number[] } {
  // Multi-output kernels (SplitV) come back as their outputs' values laid end to end.
  const run = () => {
    const result = engine().runKernel(kernel, inputs as unknown as Record<string, Tensor>, attrs) as
      | Tensor
      | Tensor[];
    const outputs = Array.isArray(result) ? result : [result];
    const values = Float32Array.from(outputs.flatMap((t) => [...t.dataSync()]));
    const shape = outputs.flatMap((t) => t.shape);
    for (const t of outputs) t.dispose();
    return { values, shape };
  };
  unregisterCpuKernels();
  const stock = run();
  if (!registerCpuKernels().registered) throw new Error('native kernels did not register');
  const native = run();
  if (stock.shape.join() !== native.shape.join()) {
    throw new Error(`shape mismatch: stock [${stock.shape}] vs native [${native.shape}]`);
  }
  return { stock: stock.values, native: native.values, shape: native.shape };
}

/**
 * Whether native tests run: skipped when the addon is unavailable, unless
 * RPDL_REQUIRE_NATIVE_KERNELS=1 demands them (then they run and fail loudly).
 */
export const nativeTestsEnabled =
  nativeKernelStatus().available || process.env.RPDL_REQUIRE_NATIVE_KERNELS === '1';
