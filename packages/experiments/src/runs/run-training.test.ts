import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import { generatePhantom } from '@rpdl/cm-dataset';
import { memory, setBackend } from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveProfile } from '../cli/commands/reproduce.js';
import { executeRun } from './run-training.js';

let root: string;
beforeAll(async () => {
  await setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'rpdl-run-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('executeRun', () => {
  const dataset = generatePhantom({ size: 16, seed: 7 });
  const profile = resolveProfile('smoke', { maxEpochs: 3 });

  it.each(['unet3d', 'myronenko2018'] as const)(
    '%s with RPDL: leaks no tensor, neither per epoch nor over the whole run',
    async (model) => {
      const before = memory().numTensors;
      const outcome = await executeRun(
        { experiment: 1, model, loss: 'rpdl', fold: 2 },
        { dataset, profile, seed: 5, out: root, resume: false },
      );
      expect(outcome.status).toBe('trained');
      if (outcome.status !== 'trained') return;
      expect(outcome.tensorCounts).toHaveLength(3);
      expect(new Set(outcome.tensorCounts).size).toBe(1);
      expect(memory().numTensors).toBe(before);
      // Experiment 1, fold 2: bone 2 against its 7 surgeries.
      expect(outcome.metrics.comparisons.map((c) => [c.bone, c.surgeon])).toEqual(
        [...Array(7).keys()].map((s) => [2, s]),
      );
    },
  );
});
