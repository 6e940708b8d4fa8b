import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import { spatialDropout3d } from '@rpdl/models-3d';
import { SeededRandom } from '@rpdl/random';
import { mean, type Scalar, setBackend, square, sub, tensor } from '@tensorflow/tfjs-core';
import { initializers, layers, sequential } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from './checkpoint-file.js';
import { parseLog } from './csv-log.js';
import { type BatchLoss, readModelWeights, type TrainingBatch, trainModel } from './train-loop.js';

const mse: BatchLoss = (outputs, batch) => mean(square(sub(outputs[0]!, batch.y))) as Scalar;

function tinyModel() {
  const model = sequential();
  model.add(
    layers.conv3d({
      inputShape: [4, 4, 4, 1],
      filters: 2,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: initializers.glorotUniform({ seed: 1 }),
    }),
  );
  // Seeded, with a generator whose state the checkpoint holds: no Math.random anywhere.
  model.add(spatialDropout3d({ rate: 0.3, seed: 2 }));
  model.add(
    layers.conv3d({
      filters: 1,
      kernelSize: 1,
      activation: 'sigmoid',
      kernelInitializer: initializers.glorotUniform({ seed: 3 }),
    }),
  );
  return model;
}

/** Batches that depend only on the epoch, from a seeded generator. */
function batchesFor(epoch: number, steps: number): TrainingBatch[] {
  const rng = new SeededRandom(1000 + epoch);
  return [...Array(steps)].map(() => {
    const x = Float32Array.from({ length: 2 * 64 }, () => rng.next());
    const y = x.map((v) => (v > 0.5 ? 1 : 0));
    return { x: tensor(x, [2, 4, 4, 4, 1]), y: tensor(y, [2, 4, 4, 4, 1]) };
  });
}

const settings = {
  learningRate: 0.05,
  plateauPatience: 1,
  plateauFactor: 0.5,
  earlyStoppingPatience: 10,
  maxEpochs: 4,
};

async function run(
  directory: string,
  options: { resume?: boolean; stopAt?: [number, number]; settings?: typeof settings } = {},
) {
  const model = tinyModel();
  const losses: number[] = [];
  try {
    const result = await trainModel({
      model,
      loss: mse,
      settings: options.settings ?? settings,
      directory,
      resume: options.resume ?? false,
      trainBatches: (epoch) => batchesFor(epoch, 3),
      batchesPerEpoch: 3,
      validationBatches: () => batchesFor(99, 1),
      onStep: (epoch, step, loss) => {
        losses.push(loss);
        if (options.stopAt && epoch === options.stopAt[0] && step === options.stopAt[1]) {
          throw new Error('interrupted');
        }
      },
    });
    return { result, weights: readModelWeights(model), losses };
  } finally {
    model.dispose();
  }
}

describe('trainModel', () => {
  let root: string;
  beforeAll(async () => {
    await setBackend('cpu');
    root = await mkdtemp(join(tmpdir(), 'rpdl-train-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('keeps the tensor count constant from epoch to epoch', async () => {
    const { result } = await run(join(root, 'leak'));
    expect(result.tensorCounts).toHaveLength(4);
    expect(new Set(result.tensorCounts).size).toBe(1);
  });

  it('resumes an interrupted run to exactly the uninterrupted weights and log', async () => {
    const whole = await run(join(root, 'whole'));
    const dir = join(root, 'interrupted');
    await expect(run(dir, { stopAt: [3, 2] })).rejects.toThrow('interrupted');
    const logAfterKill = parseLog(await readFile(join(dir, 'log.csv'), 'utf8'));
    expect(logAfterKill.map((r) => r.epoch)).toEqual([1, 2]);
    const resumed = await run(dir, { resume: true });
    expect(resumed.result.resumedFrom).toBe(2);
    // The resumed process redraws epoch 3's dropout masks exactly: its step losses are the
    // uninterrupted run's, bit for bit.
    expect(resumed.losses).toEqual(whole.losses.slice(2 * 3));
    const strip = (h: typeof whole.result.history) => h.map(({ time: _t, ...rest }) => rest);
    expect(strip(resumed.result.history)).toEqual(strip(whole.result.history));
    expect(resumed.weights).toEqual(whole.weights);
  });

  it("reports every step's loss, which averages to the epoch's logged loss", async () => {
    const { result, losses } = await run(join(root, 'steps'));
    expect(losses).toHaveLength(4 * 3);
    for (const [i, record] of result.history.entries()) {
      const epoch = losses.slice(3 * i, 3 * i + 3);
      // Equal batch sizes: the sample-weighted mean is the plain mean.
      expect(record.loss).toBeCloseTo(epoch.reduce((a, b) => a + b, 0) / 3, 12);
    }
  });

  it('refuses to resume a checkpoint without the random state of the model', async () => {
    const dir = join(root, 'old');
    await run(dir);
    const path = join(dir, 'checkpoint.ckpt');
    const saved = await loadCheckpoint<Record<string, unknown>>(path);
    const { random: _random, ...withoutRandom } = saved.state;
    await saveCheckpoint(path, {
      tensors: saved.tensors,
      state: { ...withoutRandom, finished: false },
    });
    await expect(run(dir, { resume: true })).rejects.toThrow(/holds no random state/);
  });

  it('reduces the learning rate after a plateau and logs the rate used in each epoch', async () => {
    const { result } = await run(join(root, 'lr'));
    const lrs = result.history.map((r) => r.lr);
    // Every rate is the initial one times a power of the factor, and never increases.
    for (const [i, lr] of lrs.entries()) {
      expect(Math.log2(settings.learningRate / lr) % 1).toBe(0);
      if (i > 0) expect(lr).toBeLessThanOrEqual(lrs[i - 1]!);
    }
  });

  it('records why training stopped', async () => {
    const budget = await run(join(root, 'budget'));
    expect(budget.result).toMatchObject({ stopReason: 'max-epochs', stoppedEarly: false });
    expect(budget.result.history).toHaveLength(settings.maxEpochs);
    const early = await run(join(root, 'early'), {
      settings: { ...settings, earlyStoppingPatience: 1, plateauPatience: 1, maxEpochs: 40 },
    });
    expect(early.result).toMatchObject({ stopReason: 'early-stopping', stoppedEarly: true });
    expect(early.result.history.length).toBeLessThan(40);
  });

  it('repairs a log that a kill after the last checkpoint left behind or missing', async () => {
    const dir = join(root, 'repair');
    await run(dir);
    const log = await readFile(join(dir, 'log.csv'), 'utf8');
    // Killed before the last epoch's log line was written: the log is one epoch behind.
    const behind = log.split('\n').slice(0, -2).join('\n');
    await writeFile(join(dir, 'log.csv'), `${behind}\n`);
    const resumed = await run(dir, { resume: true });
    expect(resumed.result.resumedFrom).toBe(settings.maxEpochs);
    expect(await readFile(join(dir, 'log.csv'), 'utf8')).toBe(log);
    // A one-epoch run killed there has no log at all.
    await rm(join(dir, 'log.csv'));
    await run(dir, { resume: true });
    expect(await readFile(join(dir, 'log.csv'), 'utf8')).toBe(log);
  });
});
