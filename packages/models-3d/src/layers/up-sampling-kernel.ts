import {
  engine,
  type GradConfig,
  getKernel,
  type NamedAttrMap,
  type Tensor,
  type Tensor5D,
} from '@tensorflow/tfjs-core';

/**
 * Name of the optional nearest-neighbour up-sampling kernel a backend may register
 * (`@rpdl/cpu-kernels` does for `cpu`). Contract:
 *
 * - input `x` `[batch, D, H, W, C]`, float32; attrs {@link UpSampling3DAttrs};
 * - output `y` `[batch, s_d·D, s_h·H, s_w·W, C]` with
 *   `y[b, d, h, w, c] = x[b, ⌊d/s_d⌋, ⌊h/s_h⌋, ⌊w/s_w⌋, c]`.
 *
 * Its gradient is {@link UP_SAMPLING_3D_GRAD_KERNEL} ({@link upSampling3dGradConfig}).
 */
export const UP_SAMPLING_3D_KERNEL = 'RpdlUpSampling3D';

/**
 * Name of the up-sampling kernel's gradient: input `dy` `[batch, s_d·D, s_h·H, s_w·W, C]`, same
 * attrs; output `dx` `[batch, D, H, W, C]`, each voxel the sum of `dy` over its
 * `s_d × s_h × s_w` block of copies.
 */
export const UP_SAMPLING_3D_GRAD_KERNEL = 'RpdlUpSampling3DGrad';

/** Attributes of {@link UP_SAMPLING_3D_KERNEL} and {@link UP_SAMPLING_3D_GRAD_KERNEL}. */
export interface UpSampling3DAttrs {
  /** Repeat factors `[s_d, s_h, s_w]`, positive integers. */
  size: [number, number, number];
}

/** Gradient of {@link UP_SAMPLING_3D_KERNEL}, computed by the backend's gradient kernel. */
export const upSampling3dGradConfig: GradConfig = {
  kernelName: UP_SAMPLING_3D_KERNEL,
  gradFunc: (dy: Tensor | Tensor[], _saved: Tensor[], attrs: NamedAttrMap) => {
    const g = Array.isArray(dy) ? (dy[0] as Tensor) : dy;
    return { x: () => engine().runKernel(UP_SAMPLING_3D_GRAD_KERNEL, { dy: g }, attrs) as Tensor };
  },
};

/**
 * Whether the active backend registers both up-sampling kernels; {@link UpSampling3D} falls
 * back to tfjs ops otherwise.
 *
 * @example
 * if (fusedUpSampling3dAvailable()) { … }
 */
export function fusedUpSampling3dAvailable(): boolean {
  const backend = engine().backendName;
  return (
    getKernel(UP_SAMPLING_3D_KERNEL, backend) != null &&
    getKernel(UP_SAMPLING_3D_GRAD_KERNEL, backend) != null
  );
}

/**
 * Runs {@link UP_SAMPLING_3D_KERNEL}; call only when {@link fusedUpSampling3dAvailable}.
 *
 * @example
 * const y = fusedUpSampling3d(x, { size: [2, 2, 2] }); // [b, 2D, 2H, 2W, C]
 */
export function fusedUpSampling3d(x: Tensor5D, attrs: UpSampling3DAttrs): Tensor5D {
  if (x.rank !== 5) {
    throw new RangeError(
      `fusedUpSampling3d: x must be [batch, D, H, W, C], got shape [${x.shape.join(', ')}]`,
    );
  }
  const { size } = attrs;
  if (size.length !== 3 || !size.every((s) => Number.isInteger(s) && s >= 1)) {
    throw new RangeError(
      `fusedUpSampling3d: size must be three positive integers, got ${JSON.stringify(size)}`,
    );
  }
  return engine().runKernel(UP_SAMPLING_3D_KERNEL, { x }, {
    size: [...size],
  } as unknown as NamedAttrMap) as Tensor5D;
}
