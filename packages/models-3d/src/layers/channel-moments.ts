import { div, matMul, maximum, ones, square, sub, type Tensor, tidy } from '@tensorflow/tfjs-core';

/**
 * Per-channel mean and (biased) variance of `x` shaped `[batch, voxels, channels]`, over the
 * voxel axis, each returned as `[batch, 1, channels]`.
 *
 * The sums are matrix products with a row of ones: tfjs reduces over a non-innermost axis by
 * transposing the whole volume first, which on the cpu backend costs more than the
 * convolutions around it. The variance is E[x²] − E[x]², clamped at 0; activations entering a
 * normalisation layer are O(1), where float32 keeps this accurate to about 1e-6 relative.
 *
 * @example
 * const { mean, variance } = channelMoments(reshape(x, [1, -1, channels]));
 */
export function channelMoments(x: Tensor): { mean: Tensor; variance: Tensor } {
  if (x.rank !== 3) {
    throw new Error(
      `channelMoments expects [batch, voxels, channels], got shape [${x.shape.join(', ')}]`,
    );
  }
  return tidy(() => {
    const [batch, voxels] = x.shape as [number, number, number];
    const row = ones([batch, 1, voxels]);
    const mean = div(matMul(row, x), voxels);
    const meanSquare = div(matMul(row, square(x)), voxels);
    const variance = maximum(sub(meanSquare, square(mean)), 0);
    return { mean, variance };
  });
}
