/**
 * The phantom's documented statistics (datasets/README.md): foreground fraction and mean
 * pairwise surgeon Dice per bone for sizes 16, 32, 64 and seeds 0–2, label fractions at 64³,
 * and how often each of the 48 cube symmetries occurs among the 216 reference transforms.
 *
 *   pnpm --filter @rpdl/cm-dataset bench
 */
import {
  datasetStatistics,
  generatePhantom,
  PHANTOM_LABELS,
  referenceAugmentation,
  transformKey,
} from '../src/index.js';

const pct = (x: number) => `${(100 * x).toFixed(2)} %`;

console.log('\nphantom 9 bones × 7 surgeons\n');
console.log(
  '| size | seed | generate | foreground | pairwise Dice (mean ± std over bones) | per-bone range |',
);
console.log('|---|---|---|---|---|---|');
let labels: number[] = [];
for (const size of [16, 32, 64] as const) {
  for (const seed of [0, 1, 2]) {
    const start = performance.now();
    const data = generatePhantom({ size, seed });
    const seconds = (performance.now() - start) / 1000;
    const s = datasetStatistics(data);
    if (size === 64 && seed === 0) labels = s.labelFractions;
    const lo = Math.min(...s.pairwiseDicePerBone);
    const hi = Math.max(...s.pairwiseDicePerBone);
    console.log(
      `| ${size}³ | ${seed} | ${seconds.toFixed(2)} s | ${pct(s.foregroundFraction)} | ${s.pairwiseDiceMean.toFixed(3)} ± ${s.pairwiseDiceStd.toFixed(3)} | ${lo.toFixed(3)}–${hi.toFixed(3)} |`,
    );
  }
}

{
  const fg: number[] = [];
  const dice: number[] = [];
  for (let seed = 0; seed < 10; seed++) {
    const s = datasetStatistics(generatePhantom({ size: 32, seed }));
    fg.push(s.foregroundFraction);
    dice.push(s.pairwiseDiceMean);
  }
  console.log(
    `\n32³, seeds 0–9: foreground ${pct(Math.min(...fg))}–${pct(Math.max(...fg))}, pairwise Dice ${Math.min(...dice).toFixed(3)}–${Math.max(...dice).toFixed(3)}`,
  );
}

console.log('\nlabel fractions, 64³ seed 0\n');
console.log('| label | name | fraction |');
console.log('|---|---|---|');
labels.forEach((f, label) => {
  console.log(`| ${label} | ${PHANTOM_LABELS[label]} | ${pct(f)} |`);
});

const aug = referenceAugmentation();
const counts = new Map<string, number>();
for (let i = 0; i < aug.count; i++) {
  const key = transformKey(aug.transform(i));
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
const histogram = new Map<number, number>();
for (const c of counts.values()) histogram.set(c, (histogram.get(c) ?? 0) + 1);
console.log(`\nreference augmentation: ${aug.count} transforms, ${counts.size} distinct\n`);
console.log('| occurrences among the 216 | distinct transforms |');
console.log('|---|---|');
for (const [times, n] of [...histogram.entries()].sort((a, b) => a[0] - b[0])) {
  console.log(`| ${times} | ${n} |`);
}
