import { grad, type Tensor, tidy } from '@tensorflow/tfjs-core';
import type { AnalyticStrategy } from '../src/analytic-ratio.js';
import type { GradientMode } from '../src/gradient-mode.js';

/**
 * The three ways a Dice-type loss can run: the analytic gradient as the backend prefers it (a
 * fused loop on cpu), the analytic gradient in tfjs element-wise ops (as on GPU backends), and
 * tfjs autodiff.
 */
export const VARIANTS = ['analytic', 'elementwise', 'autodiff'] as const;
export type Variant = (typeof VARIANTS)[number];

/** A loss's options with `gradient` replaced by the variant to run. */
export type VariantOptions<O extends { gradient?: GradientMode }> = Omit<O, 'gradient'> & {
  variant?: Variant;
};

/** The options and analytic strategy that run `variant`, for a loss's `…With` form. */
export function variantArgs<O extends { gradient?: GradientMode }>({
  variant = 'analytic',
  ...rest
}: VariantOptions<O>): [O, AnalyticStrategy | undefined] {
  if (variant === 'autodiff') return [{ ...rest, gradient: 'autodiff' } as O, undefined];
  return [rest as O, variant === 'elementwise' ? 'elementwise' : undefined];
}

/** Every grouping of the sums: the whole batch, per sample, per channel, and both. */
export const GROUPINGS = [
  {},
  { perSample: true },
  { perChannel: true },
  { perSample: true, perChannel: true },
] as const;

/** ∂loss/∂P at `p`, read back. */
export function gradientAt(loss: (q: Tensor) => Tensor, p: Tensor): Float32Array {
  return tidy(() => grad(loss)(p).dataSync()) as Float32Array;
}
