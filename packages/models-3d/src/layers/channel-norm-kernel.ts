import {
  engine,
  type GradConfig,
  getKernel,
  type NamedAttrMap,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  type Tensor3D,
} from '@tensorflow/tfjs-core';

/**
 * Name of the optional fused normalisation kernel a backend may register (`@rpdl/cpu-kernels`
 * does for `cpu`). Contract:
 *
 * - inputs `x` `[blocks, rows, channels]`, `gamma` and `beta` `[channels]`, all float32;
 *   attrs {@link ChannelNormAttrs}, where `groups` divides `channels`;
 * - outputs `[y, mean, variance]`: `mean` and the biased `variance` `[blocks, groups]` are taken
 *   over the rows and the group's channels of each block, and
 *   `y = γ·(x − mean)/√(variance + ε) + β` with the statistics of the element's block and group.
 *
 * Batch norm in training is one block of all voxels with one group per channel; group norm is
 * one block per sample. Only `y` is differentiated ({@link channelNormGradConfig}); the
 * statistics feed moving averages, which are not.
 */
export const CHANNEL_NORM_KERNEL = 'RpdlChannelNorm';

/**
 * Name of the fused kernel's gradient. Inputs `dy`, `x`, `mean`, `variance`, `gamma` (the
 * forward pass's inputs and statistics), same attrs; outputs `[dx, dgamma, dbeta]`.
 */
export const CHANNEL_NORM_GRAD_KERNEL = 'RpdlChannelNormGrad';

/** Attributes of {@link CHANNEL_NORM_KERNEL} and {@link CHANNEL_NORM_GRAD_KERNEL}. */
export interface ChannelNormAttrs {
  groups: number;
  epsilon: number;
}

/**
 * Gradient of {@link CHANNEL_NORM_KERNEL} with respect to x, γ and β, computed by the backend's
 * {@link CHANNEL_NORM_GRAD_KERNEL} in one call.
 */
export const channelNormGradConfig: GradConfig = {
  kernelName: CHANNEL_NORM_KERNEL,
  inputsToSave: ['x', 'gamma'],
  outputsToSave: [false, true, true],
  gradFunc: (dys: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const dy = Array.isArray(dys) ? (dys[0] as Tensor) : dys;
    const [x, gamma, mean, variance] = saved as [Tensor, Tensor, Tensor, Tensor];
    // One kernel call gives all three gradients. It runs here, not inside the per-input
    // closures: tfjs runs each closure in its own tidy, which would dispose the other two.
    const [dx, dgamma, dbeta] = engine().runKernel(
      CHANNEL_NORM_GRAD_KERNEL,
      { dy, x, mean, variance, gamma },
      attrs,
    ) as [Tensor, Tensor, Tensor];
    return {
      x: () => dx,
      gamma: () => dgamma,
      beta: () => dbeta,
    };
  },
};

/**
 * Whether the active backend registers both fused normalisation kernels; layers fall back to
 * tfjs ops otherwise.
 *
 * @example
 * if (fusedChannelNormAvailable()) { … }
 */
export function fusedChannelNormAvailable(): boolean {
  const backend = engine().backendName;
  return (
    getKernel(CHANNEL_NORM_KERNEL, backend) != null &&
    getKernel(CHANNEL_NORM_GRAD_KERNEL, backend) != null
  );
}

/**
 * Runs {@link CHANNEL_NORM_KERNEL}; call only when {@link fusedChannelNormAvailable}.
 *
 * @example
 * const { y, mean, variance } = fusedChannelNorm(x3, gamma, beta, { groups: 8, epsilon: 1e-3 });
 */
export function fusedChannelNorm(
  x: Tensor3D,
  gamma: Tensor1D,
  beta: Tensor1D,
  attrs: ChannelNormAttrs,
): { y: Tensor3D; mean: Tensor2D; variance: Tensor2D } {
  const channels = x.shape[2];
  if (!Number.isInteger(attrs.groups) || attrs.groups < 1 || channels % attrs.groups !== 0) {
    throw new RangeError(
      `fusedChannelNorm: groups must be a positive integer dividing the ${channels} channels, got ${String(attrs.groups)}`,
    );
  }
  if (gamma.shape[0] !== channels || beta.shape[0] !== channels) {
    throw new RangeError(
      `fusedChannelNorm: gamma and beta must have ${channels} elements, got ${gamma.shape[0]} and ${beta.shape[0]}`,
    );
  }
  const [y, mean, variance] = engine().runKernel(
    CHANNEL_NORM_KERNEL,
    { x, gamma, beta },
    attrs as unknown as NamedAttrMap,
  ) as [Tensor3D, Tensor2D, Tensor2D];
  return { y, mean, variance };
}
