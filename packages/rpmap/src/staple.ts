import { assertBinaryMasks } from './validate.js';

export interface StapleOptions {
  /** Stop after this many EM iterations at the latest. A positive integer; default 100. */
  maxIterations?: number;
  /** Stop once no sensitivity or specificity changes by this much or more. > 0; default 1e-7. */
  tolerance?: number;
  /**
   * f, the prior probability that a voxel is foreground, constant during EM; in (0, 1).
   * Default: the mean of all masks over all voxels.
   */
  prior?: number;
}

export interface StapleResult {
  /** Wᵢ, the posterior probability that voxel i is foreground, from the final p and q. */
  probability: Float64Array;
  /** pⱼ, the estimated sensitivity of each annotator. */
  sensitivity: Float64Array;
  /** qⱼ, the estimated specificity of each annotator. */
  specificity: Float64Array;
  /** EM iterations performed (each one E-step and one M-step). */
  iterations: number;
  /** True when the last iteration changed no p or q by `tolerance` or more. */
  converged: boolean;
}

const INITIAL_PERFORMANCE = 0.99;

/**
 * Binary STAPLE (Warfield, Zou and Wells 2004): the consensus of K annotations of one image and
 * each annotator's sensitivity pⱼ and specificity qⱼ, by expectation–maximisation.
 *
 * With Dᵢⱼ annotator j's label of voxel i and prior f, starting from pⱼ = qⱼ = 0.99:
 *
 * - E-step: `Wᵢ = f·aᵢ / (f·aᵢ + (1 − f)·bᵢ)` with `aᵢ = Πⱼ pⱼ^Dᵢⱼ (1 − pⱼ)^(1 − Dᵢⱼ)` and
 *   `bᵢ = Πⱼ qⱼ^(1 − Dᵢⱼ) (1 − qⱼ)^Dᵢⱼ`, computed as sums of logarithms so that many
 *   annotators cannot underflow the products;
 * - M-step: `pⱼ = Σᵢ Wᵢ·Dᵢⱼ / Σᵢ Wᵢ`, `qⱼ = Σᵢ (1 − Wᵢ)(1 − Dᵢⱼ) / Σᵢ (1 − Wᵢ)` (each annotator's
 *   marked and unmarked voxels summed apart, so that p and q cannot round above 1);
 *
 * until the largest change of any pⱼ or qⱼ is below `tolerance` or `maxIterations` is reached.
 * The returned probability is the E-step posterior of the returned p and q. Two degenerate
 * cases have a fixed rule: when Σᵢ Wᵢ = 0 (or Σᵢ (1 − Wᵢ) = 0) the sensitivities (or
 * specificities) keep their previous values, since no voxel informs them; a voxel whose aᵢ and bᵢ
 * are both 0 (annotators with p = 1 and q = 1 disagreeing on it) gets Wᵢ = f.
 *
 * @param masks K flattened binary annotations of one image, all of the same length.
 * @throws RangeError on an empty list, unequal lengths, a value other than 0/1 (NaN included),
 *   a maxIterations that is not a positive integer, a tolerance that is not a finite number > 0
 *   or a prior outside (0, 1).
 *
 * @example
 * const { probability, sensitivity, specificity } = staple([
 *   [1, 1, 0, 0],
 *   [1, 0, 0, 0],
 *   [1, 1, 1, 0],
 * ]);
 * // probability ≈ [1, 1, 0, 0]: voxel 1 (2 of 3) is foreground, voxel 2 (1 of 3) is not
 */
export function staple(
  masks: readonly ArrayLike<number>[],
  options: StapleOptions = {},
): StapleResult {
  const fn = 'staple';
  const n = assertBinaryMasks(masks);
  const { maxIterations, tolerance, prior } = resolveOptions(fn, options, masks, n);
  const k = masks.length;
  const p = new Float64Array(k).fill(INITIAL_PERFORMANCE);
  const q = new Float64Array(k).fill(INITIAL_PERFORMANCE);
  const w = new Float64Array(n);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    expectation(masks, p, q, prior, w);
    const change = maximisation(masks, w, p, q);
    iterations++;
    if (change < tolerance) {
      converged = true;
      break;
    }
  }
  expectation(masks, p, q, prior, w);
  return { probability: w, sensitivity: p, specificity: q, iterations, converged };
}

/** Writes Wᵢ for the current p and q into `w`, in log space. */
function expectation(
  masks: readonly ArrayLike<number>[],
  p: Float64Array,
  q: Float64Array,
  prior: number,
  w: Float64Array,
): void {
  const k = masks.length;
  // log-likelihood of label 1 and of label 0 under "foreground" and under "background"
  const fgIfOne = p.map(Math.log);
  const fgIfZero = p.map((v) => Math.log1p(-v));
  const bgIfOne = q.map((v) => Math.log1p(-v));
  const bgIfZero = q.map(Math.log);
  const logPrior = Math.log(prior);
  const logNotPrior = Math.log1p(-prior);
  for (let i = 0; i < w.length; i++) {
    let fg = logPrior;
    let bg = logNotPrior;
    for (let j = 0; j < k; j++) {
      // branch rather than multiply: 0·log 0 would be NaN where the term is absent
      if (masks[j]![i] === 1) {
        fg += fgIfOne[j]!;
        bg += bgIfOne[j]!;
      } else {
        fg += fgIfZero[j]!;
        bg += bgIfZero[j]!;
      }
    }
    if (fg === Number.NEGATIVE_INFINITY && bg === Number.NEGATIVE_INFINITY) w[i] = prior;
    else w[i] = 1 / (1 + Math.exp(bg - fg));
  }
}

/**
 * Updates p and q in place from W; returns the largest absolute change. Each annotator's sums run
 * over its marked and unmarked voxels separately, Σᵢ Wᵢ being their total: a/(a + b) cannot
 * round above 1 as a/Σᵢ Wᵢ, summed in another order, can (log(1 − p) would then be NaN).
 */
function maximisation(
  masks: readonly ArrayLike<number>[],
  w: Float64Array,
  p: Float64Array,
  q: Float64Array,
): number {
  let change = 0;
  for (let j = 0; j < masks.length; j++) {
    const mask = masks[j]!;
    let fgMarked = 0;
    let fgUnmarked = 0;
    let bgMarked = 0;
    let bgUnmarked = 0;
    for (let i = 0; i < w.length; i++) {
      const wi = w[i]!;
      if (mask[i] === 1) {
        fgMarked += wi;
        bgMarked += 1 - wi;
      } else {
        fgUnmarked += wi;
        bgUnmarked += 1 - wi;
      }
    }
    if (fgMarked + fgUnmarked > 0) {
      const next = fgMarked / (fgMarked + fgUnmarked);
      change = Math.max(change, Math.abs(next - p[j]!));
      p[j] = next;
    }
    if (bgMarked + bgUnmarked > 0) {
      const next = bgUnmarked / (bgMarked + bgUnmarked);
      change = Math.max(change, Math.abs(next - q[j]!));
      q[j] = next;
    }
  }
  return change;
}

function resolveOptions(
  fn: string,
  options: StapleOptions,
  masks: readonly ArrayLike<number>[],
  n: number,
): Required<StapleOptions> {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${fn}: options must be an object, got ${String(options)}`);
  }
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-7;
  if (!Number.isSafeInteger(maxIterations) || maxIterations < 1) {
    throw new RangeError(
      `${fn}: maxIterations must be a positive integer, got ${String(maxIterations)}`,
    );
  }
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance <= 0) {
    throw new RangeError(`${fn}: tolerance must be a finite number > 0, got ${String(tolerance)}`);
  }
  if (options.prior !== undefined) {
    const prior = options.prior;
    if (typeof prior !== 'number' || !(prior > 0 && prior < 1)) {
      throw new RangeError(`${fn}: prior must be a number in (0, 1), got ${String(prior)}`);
    }
    return { maxIterations, tolerance, prior };
  }
  let marked = 0;
  for (const mask of masks) for (let i = 0; i < n; i++) marked += mask[i]!;
  return { maxIterations, tolerance, prior: marked / (masks.length * n) };
}
