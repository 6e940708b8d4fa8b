import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { NativeAddon } from './native-binding.js';

/**
 * Kernel name of the nearest-neighbour 3D up-sampling that `@rpdl/models-3d`'s `UpSampling3D`
 * calls when the active backend registers it (the contract is models-3d's
 * `UP_SAMPLING_3D_KERNEL`; the names must stay equal).
 */
export const UP_SAMPLING_3D_KERNEL = 'RpdlUpSampling3D';
/** Its gradient (models-3d's `UP_SAMPLING_3D_GRAD_KERNEL`): the sum over each block of copies. */
export const UP_SAMPLING_3D_GRAD_KERNEL = 'RpdlUpSampling3DGrad';

function sizeOf(attrs: NamedAttrMap | undefined, kernel: string): [number, number, number] {
  const size = attrs?.size as unknown;
  if (
    !Array.isArray(size) ||
    size.length !== 3 ||
    !size.every((s) => typeof s === 'number' && Number.isInteger(s) && s >= 1)
  ) {
    throw new Error(
      `${kernel}: attr size must be three positive integers [s_d, s_h, s_w], got ${JSON.stringify(size)}`,
    );
  }
  return size as [number, number, number];
}

function volumeOf(t: TensorInfo | undefined, kernel: string, name: string) {
  if (!t) throw new Error(`${kernel}: input ${name} is required`);
  if (t.dtype !== 'float32') throw new Error(`${kernel}: ${name} must be float32, got ${t.dtype}`);
  if (t.shape.length !== 5 || t.shape.some((n) => n === 0)) {
    throw new Error(
      `${kernel}: ${name} must be a non-empty [batch, D, H, W, C] volume, got shape [${t.shape.join(', ')}]`,
    );
  }
  return t.shape as [number, number, number, number, number];
}

function float32Of(backend: MathBackendCPU, t: TensorInfo): Float32Array {
  const values = backend.data.get(t.dataId).values;
  if (values instanceof Float32Array) return values;
  return Float32Array.from(backend.readSync(t.dataId) as ArrayLike<number>);
}

/**
 * The native up-sampling kernel: input `x` `[batch, D, H, W, C]`, attr `size` `[s_d, s_h, s_w]`;
 * output `[batch, s_d·D, s_h·H, s_w·W, C]`, each voxel repeated.
 *
 * @example
 * registerKernel({ kernelName: UP_SAMPLING_3D_KERNEL, backendName: 'cpu', kernelFunc: upSampling3dNative(addon) });
 */
export function upSampling3dNative(addon: NativeAddon): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const cpu = backend as MathBackendCPU;
    const kernel = UP_SAMPLING_3D_KERNEL;
    const x = (inputs as { x?: TensorInfo }).x;
    const [b, d, h, w, c] = volumeOf(x, kernel, 'x');
    const [sd, sh, sw] = sizeOf(attrs, kernel);
    const shape = [b, d * sd, h * sh, w * sw, c];
    const y = new Float32Array(b * d * sd * h * sh * w * sw * c);
    addon.upSampling3dForward(float32Of(cpu, x as TensorInfo), y, b, d, h, w, c, sd, sh, sw);
    return cpu.makeTensorInfo(shape, 'float32', y);
  };
}

/**
 * The native up-sampling gradient: input `dy` `[batch, s_d·D, s_h·H, s_w·W, C]`, attr `size`;
 * output `dx` `[batch, D, H, W, C]`, the sum of `dy` over each voxel's block of copies.
 *
 * @example
 * registerKernel({ kernelName: UP_SAMPLING_3D_GRAD_KERNEL, backendName: 'cpu', kernelFunc: upSampling3dGradNative(addon) });
 */
export function upSampling3dGradNative(addon: NativeAddon): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const cpu = backend as MathBackendCPU;
    const kernel = UP_SAMPLING_3D_GRAD_KERNEL;
    const dy = (inputs as { dy?: TensorInfo }).dy;
    const [b, od, oh, ow, c] = volumeOf(dy, kernel, 'dy');
    const [sd, sh, sw] = sizeOf(attrs, kernel);
    if (od % sd || oh % sh || ow % sw) {
      throw new Error(
        `${kernel}: dy's spatial shape [${od}, ${oh}, ${ow}] must be a multiple of size [${sd}, ${sh}, ${sw}]`,
      );
    }
    const [d, h, w] = [od / sd, oh / sh, ow / sw];
    const dx = new Float32Array(b * d * h * w * c);
    addon.upSampling3dBackward(float32Of(cpu, dy as TensorInfo), dx, b, d, h, w, c, sd, sh, sw);
    return cpu.makeTensorInfo([b, d, h, w, c], 'float32', dx);
  };
}
