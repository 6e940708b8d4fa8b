import {
  add,
  exp,
  mean,
  mul,
  type Scalar,
  square,
  squaredDifference,
  sub,
  sum,
  type Tensor,
  tidy,
} from '@tensorflow/tfjs-core';

/** Inputs of {@link myronenko2018Loss}. */
export interface Myronenko2018LossInputs {
  /** L_seg, already reduced to a scalar (WCEL, Dice or RPDL of output 0). */
  segmentationLoss: Scalar;
  /** The network input `[batch, D, H, W, C]`, the VAE's target. */
  input: Tensor;
  /** Output 1 of {@link myronenko2018}, same shape as `input`. */
  reconstruction: Tensor;
  /** Output 2, `[batch, latent]`. */
  zMean: Tensor;
  /** Output 3, `[batch, latent]`. */
  zLogVar: Tensor;
  /** Weight of the L2 reconstruction term. Default 0.1. */
  weightL2?: number;
  /** Weight of the KL term. Default 0.1. */
  weightKL?: number;
}

function sameShape(a: Tensor, b: Tensor, what: string): void {
  if (a.shape.length !== b.shape.length || a.shape.some((n, i) => n !== b.shape[i])) {
    throw new Error(
      `myronenko2018Loss: ${what} must have equal shapes, got [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`,
    );
  }
}

/**
 * Myronenko's loss `L = L_seg + w_L2·L_L2 + w_KL·L_KL` with
 * `L_L2 = mean((input − reconstruction)²)` (mean over voxels and batch) and
 * `L_KL = (1/N)·Σ(μ² + σ² − log σ² − 1)`, summed over the latent axis, N = voxels per input
 * (D·H·W·C), averaged over the batch. Defaults w_L2 = w_KL = 0.1. Tidy; returns a scalar.
 *
 * @example
 * const [seg, rec, mu, logVar] = net.apply(x, { training: true }) as Tensor[];
 * const loss = myronenko2018Loss({
 *   segmentationLoss: diceLoss(y, seg), input: x, reconstruction: rec, zMean: mu, zLogVar: logVar,
 * });
 */
export function myronenko2018Loss(inputs: Myronenko2018LossInputs): Scalar {
  const { segmentationLoss, input, reconstruction, zMean, zLogVar } = inputs;
  const weightL2 = inputs.weightL2 ?? 0.1;
  const weightKL = inputs.weightKL ?? 0.1;
  for (const [w, what] of [
    [weightL2, 'weightL2'],
    [weightKL, 'weightKL'],
  ] as const) {
    if (!(Number.isFinite(w) && w >= 0)) {
      throw new RangeError(
        `myronenko2018Loss: ${what} must be a finite number ≥ 0, got ${String(w)}`,
      );
    }
  }
  if (segmentationLoss.rank !== 0) {
    throw new Error(
      `myronenko2018Loss: segmentationLoss must be a scalar, got shape [${segmentationLoss.shape.join(', ')}]`,
    );
  }
  sameShape(input, reconstruction, 'input and reconstruction');
  sameShape(zMean, zLogVar, 'zMean and zLogVar');
  if (zMean.rank !== 2 || zMean.shape[0] !== input.shape[0]) {
    throw new Error(
      `myronenko2018Loss: zMean must be [batch, latent] with the input's batch ${input.shape[0]}, got [${zMean.shape.join(', ')}]`,
    );
  }
  return tidy(() => {
    const voxels = input.size / (input.shape[0] as number);
    const l2 = mean(squaredDifference(input, reconstruction));
    const klPerSample = sum(sub(add(square(zMean), exp(zLogVar)), add(zLogVar, 1)), 1);
    const kl = mul(mean(klPerSample), 1 / voxels);
    return add(segmentationLoss, add(mul(l2, weightL2), mul(kl, weightKL))) as Scalar;
  });
}
