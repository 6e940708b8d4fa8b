import { twoSidedNormalP } from './normal-tail.js';

/** Largest number of non-zero differences for which the p-value is computed exactly. */
export const WILCOXON_EXACT_MAX_N = 25;

/** Result of {@link wilcoxonSignedRank}. */
export interface WilcoxonResult {
  /** Non-zero differences, the ones ranked (zeros are dropped, Wilcoxon's convention). */
  n: number;
  /** Differences that were exactly zero and dropped. */
  zeros: number;
  /** Sum of the (mid)ranks of |d| over the positive differences. */
  wPlus: number;
  /** Sum of the (mid)ranks over the negative differences; wPlus + wMinus = n(n+1)/2. */
  wMinus: number;
  /** Two-sided p-value. */
  p: number;
  /** `exact`: the permutation distribution of W+; `normal`: normal approximation with tie correction. */
  method: 'exact' | 'normal';
  /** Whether some |d| were tied (and so share their average rank). */
  ties: boolean;
}

/**
 * Ranks 1…n of the values in increasing order, tied values sharing the average of the ranks they
 * span (midranks). Returns ranks in the input's order and the sizes of the tie groups.
 *
 * @example
 * midranks([10, 20, 20, 30]); // { ranks: [1, 2.5, 2.5, 4], tieSizes: [2] }
 */
export function midranks(values: readonly number[]): { ranks: number[]; tieSizes: number[] } {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Array<number>(values.length);
  const tieSizes: number[] = [];
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && values[order[end]!] === values[order[start]!]) end++;
    // Positions start…end−1 hold ranks start+1…end; each gets their mean.
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k]!] = rank;
    if (end - start > 1) tieSizes.push(end - start);
    start = end;
  }
  return { ranks, tieSizes };
}

/**
 * Number of the 2ⁿ sign assignments whose W+ (sum of the ranks given a + sign) takes each value,
 * indexed by 2·W+. Ranks must be multiples of ½ (as midranks are), so doubled they are integers
 * and a subset-sum dynamic programme over them is exact. Counts stay exact in float64 for n ≤ 52.
 */
function signedRankNullCounts(ranks: readonly number[]): Float64Array {
  const doubled = ranks.map((r) => Math.round(2 * r));
  const total = doubled.reduce((s, r) => s + r, 0);
  const counts = new Float64Array(total + 1);
  counts[0] = 1;
  let reach = 0;
  for (const r of doubled) {
    // Descending, so each rank is used at most once (0/1 knapsack).
    for (let s = reach; s >= 0; s--) {
      const c = counts[s]!;
      if (c > 0) counts[s + r] = counts[s + r]! + c;
    }
    reach += r;
  }
  return counts;
}

/**
 * The Wilcoxon signed-rank test of "the differences are symmetric about 0", two-sided.
 *
 * Conventions, chosen to match the textbook test (and SciPy's `zero_method='wilcox'`):
 * - differences exactly equal to 0 are dropped before ranking (Wilcoxon's convention);
 * - tied |d| get their average rank (midranks);
 * - for n ≤ {@link WILCOXON_EXACT_MAX_N} non-zero differences the p-value is exact: the null
 *   distribution of W+ is enumerated over the actual (mid)ranks by dynamic programming, so ties
 *   are handled exactly too, and p = min(1, 2·min(P(W+ ≤ w), P(W+ ≥ w)));
 * - above, the normal approximation without continuity correction, with variance
 *   n(n+1)(2n+1)/24 − Σ(t³ − t)/48 over tie groups of size t;
 * - with no non-zero difference left, p = 1 (nothing speaks against the null).
 *
 * @example
 * wilcoxonSignedRank([0.1, 0.2, 0.3, 0.4, 0.5]).p; // 2/32 = 0.0625 (exact)
 */
export function wilcoxonSignedRank(differences: readonly number[]): WilcoxonResult {
  if (differences.length === 0)
    throw new RangeError('wilcoxonSignedRank: need at least one difference, got none');
  differences.forEach((d, i) => {
    if (!Number.isFinite(d))
      throw new RangeError(`wilcoxonSignedRank: difference ${i} must be finite, got ${d}`);
  });
  const nonZero = differences.filter((d) => d !== 0);
  const n = nonZero.length;
  const zeros = differences.length - n;
  if (n === 0) return { n, zeros, wPlus: 0, wMinus: 0, p: 1, method: 'exact', ties: false };
  const { ranks, tieSizes } = midranks(nonZero.map(Math.abs));
  let wPlus = 0;
  let wMinus = 0;
  nonZero.forEach((d, i) => {
    if (d > 0) wPlus += ranks[i]!;
    else wMinus += ranks[i]!;
  });
  const ties = tieSizes.length > 0;
  if (n <= WILCOXON_EXACT_MAX_N) {
    const counts = signedRankNullCounts(ranks);
    const w2 = Math.round(2 * wPlus);
    let below = 0;
    let above = 0;
    for (let s = 0; s < counts.length; s++) {
      if (s <= w2) below += counts[s]!;
      if (s >= w2) above += counts[s]!;
    }
    const all = 2 ** n;
    return {
      n,
      zeros,
      wPlus,
      wMinus,
      p: Math.min(1, (2 * Math.min(below, above)) / all),
      method: 'exact',
      ties,
    };
  }
  const mean = (n * (n + 1)) / 4;
  const variance =
    (n * (n + 1) * (2 * n + 1)) / 24 - tieSizes.reduce((s, t) => s + t ** 3 - t, 0) / 48;
  const p = variance > 0 ? twoSidedNormalP((wPlus - mean) / Math.sqrt(variance)) : 1;
  return { n, zeros, wPlus, wMinus, p, method: 'normal', ties };
}
