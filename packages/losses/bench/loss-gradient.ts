/**
 * Loss + gradient time on the tfjs cpu backend for a 16 × 64³ × 1 batch, every loss side by
 * side in one run (cases interleaved round by round, so drift on a shared machine hits all alike).
 *
 *   pnpm --filter @rpdl/losses bench            # 10 timed rounds after 3 warm-up rounds
 *   pnpm --filter @rpdl/losses bench -- 3       # rounds as the first argument
 */
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core alone registers no op gradients; tfjs-layers (as in any training setup) does.
import '@tensorflow/tfjs-layers';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  cast,
  dispose,
  fill,
  floor,
  greater,
  logicalOr,
  mul,
  randomUniform,
  type Scalar,
  setBackend,
  type Tensor,
  tidy,
  valueAndGrad,
  version_core,
  where,
} from '@tensorflow/tfjs-core';
import {
  diceLoss,
  referenceRewardPenaltyDiceLoss,
  rewardPenaltyDiceLoss,
  softDiceLoss,
  weightedCrossEntropy,
} from '../src/index.js';
import { rewardPenaltyDiceLossWith } from '../src/reward-penalty-dice-loss.js';

const SHAPE = [16, 64, 64, 64, 1];
const roundsArg = process.argv.slice(2).find((a) => /^\d+$/.test(a));
const rounds = roundsArg === undefined ? 10 : Number(roundsArg);
// V8 needs a few calls to optimise the fused loops; these rounds are run and not timed.
const WARM_UP_ROUNDS = 3;

await setBackend('cpu');

// ~4 % foreground like the CM data; the map takes 7-annotator values k/7 inside, −1 outside.
const y = tidy(() => cast(greater(randomUniform(SHAPE, 0, 1, 'float32', 1), 0.96), 'float32'));
const m = tidy(() => {
  const reward = mul(floor(randomUniform(SHAPE, 1, 8, 'float32', 2)), 1 / 7);
  const marked = logicalOr(greater(y, 0), greater(randomUniform(SHAPE, 0, 1, 'float32', 3), 0.9));
  return where(marked, reward, fill(SHAPE, -1));
});
// authors'-code-like target: the map where this annotation is marked, 0 where others marked
const target = tidy(() => where(greater(y, 0), m, where(greater(m, 0), fill(SHAPE, 0), m)));
const p = randomUniform(SHAPE, 0, 1, 'float32', 4);
// a mean-annotation-like soft target: the map's positive part (k/7 where marked, else 0)
const soft = tidy(() => where(greater(m, 0), m, fill(SHAPE, 0)));

// [name, loss, index of the row it is compared with]
const cases: [string, (q: Tensor) => Scalar, number][] = [
  ['diceLoss (analytic)', (q) => diceLoss(y, q), 0],
  ['rewardPenaltyDiceLoss (analytic)', (q) => rewardPenaltyDiceLoss(y, q, m), 0],
  [
    'rewardPenaltyDiceLoss (analytic, tfjs ops instead of the fused loop)',
    (q) => rewardPenaltyDiceLossWith(y, q, m, {}, 'elementwise'),
    0,
  ],
  ['diceLoss (autodiff)', (q) => diceLoss(y, q, { gradient: 'autodiff' }), 3],
  [
    'rewardPenaltyDiceLoss (autodiff)',
    (q) => rewardPenaltyDiceLoss(y, q, m, { gradient: 'autodiff' }),
    3,
  ],
  ['diceLoss (analytic, perSample)', (q) => diceLoss(y, q, { perSample: true }), 5],
  [
    'rewardPenaltyDiceLoss (analytic, perSample)',
    (q) => rewardPenaltyDiceLoss(y, q, m, { perSample: true }),
    5,
  ],
  [
    'referenceRewardPenaltyDiceLoss (analytic)',
    (q) => referenceRewardPenaltyDiceLoss(target, q),
    0,
  ],
  ['weightedCrossEntropy (autodiff)', (q) => weightedCrossEntropy(y, q, { weight: 24 }), 0],
  ['softDiceLoss (analytic, soft target)', (q) => softDiceLoss(soft, q), 0],
  [
    'rewardPenaltyDiceLoss (analytic, validate: false)',
    (q) => rewardPenaltyDiceLoss(y, q, m, { validate: false }),
    1,
  ],
  [
    'rewardPenaltyDiceLoss (analytic, tfjs ops, validate: false)',
    (q) => rewardPenaltyDiceLossWith(y, q, m, { validate: false }, 'elementwise'),
    2,
  ],
];

const times = cases.map(() => [] as number[]);
// With --expose-gc (the bench script passes it) garbage left by one case is collected before the
// next starts instead of inside its timing; the order also rotates so no case always runs first.
const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});
for (let round = 0; round < WARM_UP_ROUNDS + rounds; round++) {
  for (let k = 0; k < cases.length; k++) {
    const c = (k + round) % cases.length;
    const loss = cases[c]![1];
    collect();
    const start = performance.now();
    const { value, grad } = valueAndGrad(loss)(p);
    // the cpu backend computes eagerly; reading both results makes that explicit
    value.dataSync();
    grad.dataSync();
    const elapsed = performance.now() - start;
    dispose([value, grad]);
    if (round >= WARM_UP_ROUNDS) times[c]!.push(elapsed);
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
console.log(
  `loss + gradient, batch [${SHAPE}] (${SHAPE.reduce((a, b) => a * b, 1)} voxels), tfjs-core ${version_core} cpu backend, ` +
    `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${rounds} timed rounds after ${WARM_UP_ROUNDS} warm-up rounds`,
);
console.log('');
console.log('| loss | median ms | min ms | compared with | × (median) | × (min) |');
console.log('|---|---:|---:|---|---:|---:|');
cases.forEach(([name, , baseline], c) => {
  const med = median(times[c]!);
  const min = Math.min(...times[c]!);
  const baseMedian = median(times[baseline]!);
  const baseMin = Math.min(...times[baseline]!);
  console.log(
    `| ${name} | ${med.toFixed(0)} | ${min.toFixed(0)} | ${cases[baseline]![0]} | ${(med / baseMedian).toFixed(2)} | ${(min / baseMin).toFixed(2)} |`,
  );
});
dispose([y, m, target, soft, p]);
