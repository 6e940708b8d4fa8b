import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { NativeAddon } from './native-binding.js';

/**
 * Kernel name of the fused Adam update that `@rpdl/training`'s `Adam` calls when the active
 * backend registers it (the contract is training's `ADAM_UPDATE_KERNEL`; the names must stay
 * equal).
 */
export const ADAM_UPDATE_KERNEL = 'RpdlAdamUpdate';

const HYPERPARAMETERS = [
  'beta1',
  'beta2',
  'epsilon',
  'learningRate',
  'correction1',
  'correction2',
] as const;

function float32Of(backend: MathBackendCPU, t: TensorInfo): Float32Array {
  const values = backend.data.get(t.dataId).values;
  if (values instanceof Float32Array) return values;
  return Float32Array.from(backend.readSync(t.dataId) as ArrayLike<number>);
}

/**
 * The native fused Adam update: inputs `variable`, `m`, `v`, `gradient` (float32, one shape);
 * attrs `beta1`, `beta2`, `epsilon`, `learningRate`, `correction1`, `correction2`; outputs
 * `[variable′, m′, v′]`.
 *
 * @example
 * registerKernel({ kernelName: ADAM_UPDATE_KERNEL, backendName: 'cpu', kernelFunc: adamUpdateNative(addon) });
 */
export function adamUpdateNative(addon: NativeAddon): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const cpu = backend as MathBackendCPU;
    const kernel = ADAM_UPDATE_KERNEL;
    const named = inputs as Record<string, TensorInfo | undefined>;
    const tensors = (['variable', 'm', 'v', 'gradient'] as const).map((name) => {
      const t = named[name];
      if (!t) throw new Error(`${kernel}: input ${name} is required`);
      if (t.dtype !== 'float32')
        throw new Error(`${kernel}: ${name} must be float32, got ${t.dtype}`);
      return t;
    }) as [TensorInfo, TensorInfo, TensorInfo, TensorInfo];
    const shape = tensors[0].shape;
    for (const [i, name] of (['m', 'v', 'gradient'] as const).entries()) {
      const t = tensors[i + 1] as TensorInfo;
      if (t.shape.length !== shape.length || t.shape.some((n, k) => n !== shape[k])) {
        throw new Error(
          `${kernel}: ${name} has shape [${t.shape.join(', ')}], expected the variable's [${shape.join(', ')}]`,
        );
      }
    }
    const values = HYPERPARAMETERS.map((name) => {
      const value = attrs?.[name];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new Error(`${kernel}: attr ${name} must be a finite number, got ${String(value)}`);
      }
      return value;
    }) as [number, number, number, number, number, number];
    if (!(values[4] > 0 && values[5] > 0)) {
      throw new Error(
        `${kernel}: attrs correction1 and correction2 must be > 0, got ${values[4]} and ${values[5]}`,
      );
    }
    const n = shape.reduce((a, b) => a * b, 1);
    const outputs = [new Float32Array(n), new Float32Array(n), new Float32Array(n)] as const;
    addon.adamUpdate(
      float32Of(cpu, tensors[0]),
      float32Of(cpu, tensors[1]),
      float32Of(cpu, tensors[2]),
      float32Of(cpu, tensors[3]),
      ...outputs,
      ...values,
    );
    return outputs.map((o) => cpu.makeTensorInfo(shape, 'float32', o));
  };
}
