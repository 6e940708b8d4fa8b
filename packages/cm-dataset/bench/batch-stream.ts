/**
 * Throughput of the data pipeline at the paper's size: 64³ phantom, batch 16, one
 * leave-one-bone-out training fold (56 rows), side by side for each kind of map and
 * augmentation. Also times phantom generation and .npy write/read of the 63-row files.
 *
 *   pnpm --filter @rpdl/cm-dataset bench
 */
import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { dispose, setBackend } from '@tensorflow/tfjs-core';
import {
  type Augmentation,
  createBatchStream,
  generatePhantom,
  identityAugmentation,
  leaveOneBoneOut,
  loadCmDataset,
  type MapKind,
  referenceAugmentation,
  writeCmDataset,
} from '../src/index.js';

await setBackend('cpu');

const BATCH = 16;
const WARMUP = 2;
const ROUNDS = 5;
const PER_ROUND = 6;

const rows: Array<Record<string, string>> = [];
const time = async <T>(fn: () => T | Promise<T>): Promise<[T, number]> => {
  const start = performance.now();
  const value = await fn();
  return [value, (performance.now() - start) / 1000];
};

const [data, generateSeconds] = await time(() => generatePhantom({ size: 64, seed: 0 }));
rows.push({ step: 'generatePhantom 64³ × 63 rows', result: `${generateSeconds.toFixed(2)} s` });

const dir = await mkdtemp(join(tmpdir(), 'cm-bench-'));
const [, writeSeconds] = await time(() => writeCmDataset(dir, data));
const [, loadSeconds] = await time(() => loadCmDataset(dir));
await rm(dir, { recursive: true, force: true });
rows.push({ step: 'writeCmDataset (2 × 16.5 MB .npy)', result: `${writeSeconds.toFixed(2)} s` });
rows.push({ step: 'loadCmDataset (read + validate)', result: `${loadSeconds.toFixed(2)} s` });

const fold = leaveOneBoneOut(0, data.layout);
const cases: Array<[MapKind, Augmentation]> = [
  ['none', identityAugmentation()],
  ['none', referenceAugmentation()],
  ['paper', referenceAugmentation()],
  ['reference', referenceAugmentation()],
];
// Rounds interleave the configurations so that load from other processes hits them alike.
const takers = cases.map(([maps, augmentation]) => {
  const stream = createBatchStream({
    dataset: data,
    rows: fold.train,
    batchSize: BATCH,
    augmentation,
    seed: 1,
    maps,
  });
  let epoch = 0;
  let iterator = stream.epoch(epoch);
  return () => {
    let next = iterator.next();
    if (next.done) {
      iterator = stream.epoch(++epoch);
      next = iterator.next();
    }
    const batch = next.value!;
    const extra = [batch.rpMap, batch.target].filter((t) => t !== undefined);
    dispose([batch.x, batch.y, ...extra]);
  };
});
for (const take of takers) for (let i = 0; i < WARMUP; i++) take();
const rates: number[][] = cases.map(() => []);
for (let round = 0; round < ROUNDS; round++) {
  for (const [c, take] of takers.entries()) {
    const [, seconds] = await time(() => {
      for (let i = 0; i < PER_ROUND; i++) take();
    });
    rates[c]!.push(PER_ROUND / seconds);
  }
}
for (const [c, [maps, augmentation]] of cases.entries()) {
  const r = [...rates[c]!].sort((a, b) => a - b);
  const median = r[Math.floor(r.length / 2)]!;
  rows.push({
    step: `stream 64³ batch ${BATCH}, maps '${maps}', ${augmentation.name}`,
    result: `${median.toFixed(2)} batches/s median (${r[0]!.toFixed(2)}–${r.at(-1)!.toFixed(2)}; ${(median * BATCH).toFixed(0)} samples/s)`,
  });
}

console.log(
  `\n@rpdl/cm-dataset pipeline, Node ${process.version}, tfjs cpu backend, load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores\n`,
);
const width = Math.max(...rows.map((r) => r.step!.length));
console.log(`| ${'step'.padEnd(width)} | result |`);
console.log(`|${'-'.repeat(width + 2)}|--------|`);
for (const r of rows) console.log(`| ${r.step!.padEnd(width)} | ${r.result} |`);
