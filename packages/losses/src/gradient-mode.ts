import type { Tensor } from '@tensorflow/tfjs-core';

/**
 * How a Dice-type loss obtains its gradient with respect to `yPred`. `'analytic'`: the exact
 * closed form, registered with `customGrad` (targets are constants of the loss; tfjs refuses a
 * gradient with respect to them). `'autodiff'`: tfjs differentiates the forward ops, with respect
 * to every input.
 */
export type GradientMode = 'analytic' | 'autodiff';

/** Validates the option and, for the analytic form, that the prediction is float32. */
export function resolveGradientMode(
  fn: string,
  gradient: GradientMode | undefined,
  yPred: Tensor,
): GradientMode {
  const mode = gradient ?? 'analytic';
  if (mode !== 'analytic' && mode !== 'autodiff') {
    throw new RangeError(`${fn}: gradient must be 'analytic' or 'autodiff', got ${String(mode)}`);
  }
  // customGrad must hand back a gradient of yPred's dtype; only float32 probabilities make sense.
  if (mode === 'analytic' && yPred.dtype !== 'float32') {
    throw new TypeError(`${fn}: yPred must be float32 probabilities, got dtype ${yPred.dtype}`);
  }
  return mode;
}
