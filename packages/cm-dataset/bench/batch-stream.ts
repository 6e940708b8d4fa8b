/**
 * Throughput of the data pipeline at the paper's size: 64³ phantom, batch 16, one
 * leave-one-bone-out training fold (56 rows), side by side for each kind of map and
 * augmentation. Also times phantom generation and .npy write/read of the 63-row files.
 *
 *   pnpm --filter @rpdl/cm-dataset bench
 */
import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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
const MEASURED = 15;

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
for (const [maps, augmentation] of cases) {
  const [stream, setupSeconds] = await time(() =>
    createBatchStream({
      dataset: data,
      rows: fold.train,
      batchSize: BATCH,
      augmentation,
      seed: 1,
      maps,
    }),
  );
  let epoch = 0;
  let iterator = stream.epoch(epoch);
  const take = () => {
    let next = iterator.next();
    if (next.done) {
      iterator = stream.epoch(++epoch);
      next = iterator.next();
    }
    const batch = next.value!;
    const b = batch as unknown as Record<string, unknown>;
    dispose([
      batch.x,
      batch.y,
      ...(['rpMap', 'target'] as const).flatMap((k) => (b[k] ? [b[k] as typeof batch.x] : [])),
    ]);
  };
  for (let i = 0; i < WARMUP; i++) take();
  const [, seconds] = await time(() => {
    for (let i = 0; i < MEASURED; i++) take();
  });
  rows.push({
    step: `stream 64³ batch ${BATCH}, maps '${maps}', ${augmentation.name}`,
    result: `${(MEASURED / seconds).toFixed(2)} batches/s (${((MEASURED * BATCH) / seconds).toFixed(0)} samples/s; setup ${setupSeconds.toFixed(2)} s)`,
  });
}

console.log(`\n@rpdl/cm-dataset pipeline, Node ${process.version}, tfjs cpu backend\n`);
const width = Math.max(...rows.map((r) => r.step!.length));
console.log(`| ${'step'.padEnd(width)} | result |`);
console.log(`|${'-'.repeat(width + 2)}|--------|`);
for (const r of rows) console.log(`| ${r.step!.padEnd(width)} | ${r.result} |`);
