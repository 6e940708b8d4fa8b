import type { ModelName } from '@rpdl/models-3d';
import {
  BOOTSTRAP_RESAMPLES,
  BOOTSTRAP_SEED,
  bootstrapMeanInterval,
  mean,
  pairedDifferences,
} from '../evaluation/paired-stats.js';
import { WILCOXON_EXACT_MAX_N, wilcoxonSignedRank } from '../evaluation/wilcoxon.js';
import type { ExperimentId, LossName } from '../grid/grid.js';
import { LOSS_NAMES, MODEL_ORDER } from '../grid/grid.js';
import { LOSS_LABELS, MODEL_LABELS } from './labels.js';
import type { BaselineName, FoldScores } from './report-data.js';
import { CM_WORDS, type Vocabulary } from './vocabulary.js';

/** The verdict on one claim. */
export type VerdictWord = 'holds' | 'does not hold' | 'inconclusive';

/** Significance level of the Wilcoxon test in the rule. */
export const VERDICT_ALPHA = 0.05;
/**
 * Fewest paired folds for a verdict other than `inconclusive`: with 5 folds the exact two-sided
 * Wilcoxon p-value cannot go below 2/2⁵ = 0.0625, so no ordering claim could ever hold.
 */
export const VERDICT_MIN_FOLDS = 6;
/** "RPDL within about 1 % of DL": the equivalence margin on the mean paired difference, in Dice. */
export const EQUIVALENCE_MARGIN = 0.01;

/** The rule the verdict words follow, printed with the verdicts. */
export const VERDICT_RULE = [
  'Each claim pairs the per-fold mean Dice of two series over the folds both have (n); Δ is the mean of the paired differences (first − second).',
  `95% CI: percentile bootstrap of Δ resampling folds with replacement (${BOOTSTRAP_RESAMPLES.toLocaleString('en-US')} resamples, seed ${BOOTSTRAP_SEED}, type-7 quantiles).`,
  `p: two-sided Wilcoxon signed-rank test over the n fold differences (zero differences dropped, tied |Δ| given average ranks; exact null distribution over those ranks for n ≤ ${WILCOXON_EXACT_MAX_N}, normal approximation with tie correction above).`,
  `"A > B" holds when the CI lies entirely above 0 and p < ${VERDICT_ALPHA}; does not hold when the CI lies entirely below 0 and p < ${VERDICT_ALPHA}; otherwise inconclusive.`,
  `"A ≈ B" (within ${EQUIVALENCE_MARGIN} Dice) holds when the CI lies inside [−${EQUIVALENCE_MARGIN}, +${EQUIVALENCE_MARGIN}]; does not hold when it lies entirely outside it; otherwise inconclusive (p is shown, not used).`,
  `With fewer than ${VERDICT_MIN_FOLDS} paired folds every verdict is inconclusive (the exact two-sided p cannot reach ${VERDICT_ALPHA} with 5).`,
].join(' ');

/** One side of a claim: a network (model × loss) or a baseline. */
export type SeriesRef =
  | { kind: 'network'; model: ModelName; loss: LossName }
  | { kind: 'baseline'; name: BaselineName };

/** A claim of the paper, about two series of one experiment. */
export interface Claim {
  experiment: ExperimentId;
  /** `greater`: A scores higher than B; `equivalent`: |A − B| ≤ {@link EQUIVALENCE_MARGIN}. */
  kind: 'greater' | 'equivalent';
  a: SeriesRef;
  b: SeriesRef;
}

/** A claim with the numbers behind it and its verdict. */
export interface Verdict extends Claim {
  /** Folds both series have, ascending. */
  folds: number[];
  n: number;
  /** Mean paired difference of per-fold mean Dice, A − B. */
  meanDifference: number;
  ci: { low: number; high: number; confidence: number; resamples: number; seed: number };
  wilcoxon: {
    p: number;
    wPlus: number;
    wMinus: number;
    zeros: number;
    method: 'exact' | 'normal';
  };
  verdict: VerdictWord;
}

/** What the verdicts need of an experiment's report: each series' per-fold scores. */
export interface ClaimData {
  experiment: ExperimentId;
  entries: ReadonlyArray<{ model: ModelName; loss: LossName; folds: readonly FoldScores[] }>;
  baselines: ReadonlyArray<{ name: BaselineName; folds: readonly FoldScores[] }>;
}

/**
 * The paper's claims that the finished runs can speak to, in a fixed order. Experiment 1, per
 * model: RPDL > DL, DL > WCEL, RPDL > WCEL, then every network > the atlas. Experiment 2, per
 * model: DL > the held-out surgeons, RPDL > the held-out surgeons, the held-out surgeons > WCEL,
 * and RPDL ≈ DL.
 *
 * @example
 * paperClaims(exp1).map((c) => describeClaim(c)); // ['U-net: RPDL > DL', …]
 */
export function paperClaims(data: ClaimData): Claim[] {
  const has = (model: ModelName, loss: LossName) =>
    data.entries.some((e) => e.model === model && e.loss === loss);
  const hasBaseline = (name: BaselineName) => data.baselines.some((b) => b.name === name);
  const net = (model: ModelName, loss: LossName): SeriesRef => ({ kind: 'network', model, loss });
  const claims: Claim[] = [];
  const experiment = data.experiment;
  const models = MODEL_ORDER.filter((m) => LOSS_NAMES.some((l) => has(m, l)));
  const greater = (a: SeriesRef, b: SeriesRef) =>
    claims.push({ experiment, kind: 'greater', a, b });
  const present = (ref: SeriesRef) =>
    ref.kind === 'network' ? has(ref.model, ref.loss) : hasBaseline(ref.name);
  if (experiment === 1) {
    for (const model of models) {
      for (const [a, b] of [
        ['rpdl', 'dl'],
        ['dl', 'wcel'],
        ['rpdl', 'wcel'],
      ] as const) {
        if (has(model, a) && has(model, b)) greater(net(model, a), net(model, b));
      }
    }
    const atlas: SeriesRef = { kind: 'baseline', name: 'atlas' };
    for (const model of models) {
      for (const loss of LOSS_NAMES) {
        if (has(model, loss) && present(atlas)) greater(net(model, loss), atlas);
      }
    }
  } else {
    const surgeons: SeriesRef = { kind: 'baseline', name: 'surgeon' };
    for (const model of models) {
      if (present(surgeons)) {
        if (has(model, 'dl')) greater(net(model, 'dl'), surgeons);
        if (has(model, 'rpdl')) greater(net(model, 'rpdl'), surgeons);
        if (has(model, 'wcel')) greater(surgeons, net(model, 'wcel'));
      }
      if (has(model, 'rpdl') && has(model, 'dl'))
        claims.push({ experiment, kind: 'equivalent', a: net(model, 'rpdl'), b: net(model, 'dl') });
    }
  }
  return claims;
}

/**
 * The verdict word from the numbers, by {@link VERDICT_RULE}.
 *
 * @example
 * verdictWord('greater', 9, { low: 0.01, high: 0.05 }, 0.004); // 'holds'
 */
export function verdictWord(
  kind: Claim['kind'],
  n: number,
  ci: { low: number; high: number },
  p: number,
): VerdictWord {
  if (n < VERDICT_MIN_FOLDS) return 'inconclusive';
  if (kind === 'equivalent') {
    if (ci.low >= -EQUIVALENCE_MARGIN && ci.high <= EQUIVALENCE_MARGIN) return 'holds';
    if (ci.low > EQUIVALENCE_MARGIN || ci.high < -EQUIVALENCE_MARGIN) return 'does not hold';
    return 'inconclusive';
  }
  if (p >= VERDICT_ALPHA) return 'inconclusive';
  if (ci.low > 0) return 'holds';
  if (ci.high < 0) return 'does not hold';
  return 'inconclusive';
}

function foldsOf(data: ClaimData, ref: SeriesRef): readonly FoldScores[] {
  const series =
    ref.kind === 'network'
      ? data.entries.find((e) => e.model === ref.model && e.loss === ref.loss)
      : data.baselines.find((b) => b.name === ref.name);
  if (!series)
    throw new RangeError(`no series ${describeSeries(ref)} in Experiment ${data.experiment}`);
  return series.folds;
}

/**
 * Tests one claim: pairs per-fold mean Dice over the folds both series have, then the mean paired
 * difference, its seeded bootstrap interval, the Wilcoxon p-value and the verdict word. Returns
 * undefined when the two series share no fold.
 *
 * @example
 * judgeClaim(exp1, { experiment: 1, kind: 'greater', a: rpdl, b: dl })?.verdict;
 */
export function judgeClaim(data: ClaimData, claim: Claim): Verdict | undefined {
  const a = foldsOf(data, claim.a);
  const b = foldsOf(data, claim.b);
  const folds = a.map((f) => f.fold).filter((fold) => b.some((g) => g.fold === fold));
  folds.sort((x, y) => x - y);
  if (folds.length === 0) return undefined;
  const dice = (series: readonly FoldScores[]) =>
    folds.map((fold) => series.find((f) => f.fold === fold)!.dice.mean);
  const differences = pairedDifferences(dice(a), dice(b));
  const interval = bootstrapMeanInterval(differences);
  const test = wilcoxonSignedRank(differences);
  return {
    ...claim,
    folds,
    n: folds.length,
    meanDifference: mean(differences),
    ci: interval,
    wilcoxon: {
      p: test.p,
      wPlus: test.wPlus,
      wMinus: test.wMinus,
      zeros: test.zeros,
      method: test.method,
    },
    verdict: verdictWord(claim.kind, folds.length, interval, test.p),
  };
}

/**
 * Every claim of the paper that the finished runs of one experiment can speak to, judged.
 *
 * @example
 * judgeExperiment(report.experiments[0]).map((v) => `${describeClaim(v)}: ${v.verdict}`);
 */
export function judgeExperiment(data: ClaimData): Verdict[] {
  return paperClaims(data)
    .map((claim) => judgeClaim(data, claim))
    .filter((v): v is Verdict => v !== undefined);
}

/**
 * A series in words, e.g. `U-net RPDL` or `atlas`; the held-out raters are named with `words`
 * (default the CM study's surgeons).
 *
 * @example
 * describeSeries({ kind: 'baseline', name: 'surgeon' }); // 'held-out surgeons'
 * describeSeries({ kind: 'baseline', name: 'surgeon' }, CASE_WORDS); // 'held-out annotators'
 */
export function describeSeries(ref: SeriesRef, words: Vocabulary = CM_WORDS): string {
  if (ref.kind === 'network') return `${MODEL_LABELS[ref.model]} ${LOSS_LABELS[ref.loss]}`;
  return ref.name === 'atlas' ? 'atlas' : `held-out ${words.rater}s`;
}

/**
 * A claim in words, e.g. `U-net RPDL > U-net DL` or `U-net RPDL ≈ U-net DL (±0.01)`.
 *
 * @example
 * describeClaim({ experiment: 2, kind: 'equivalent', a: rpdl, b: dl }); // 'U-net RPDL ≈ U-net DL (±0.01)'
 */
export function describeClaim(claim: Claim, words: Vocabulary = CM_WORDS): string {
  const [a, b] = [describeSeries(claim.a, words), describeSeries(claim.b, words)];
  return claim.kind === 'greater' ? `${a} > ${b}` : `${a} ≈ ${b} (±${EQUIVALENCE_MARGIN})`;
}
