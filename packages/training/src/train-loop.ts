import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  dispose,
  memory,
  type Scalar,
  type Tensor,
  tensor,
  tidy,
  type Variable,
  variableGrads,
} from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { Adam } from './adam.js';
import { loadCheckpoint, type StoredTensor, saveCheckpoint } from './checkpoint-file.js';
import { type EpochRecord, writeLog } from './csv-log.js';
import { ProgressBar, type ProgressSink } from './progress.js';
import { getRandomState, type ModelRandomState, setRandomState } from './random-state.js';
import {
  advanceSchedule,
  initialSchedule,
  type ScheduleSettings,
  type ScheduleState,
} from './schedule.js';

/** One mini-batch. The loop disposes every tensor of a batch once it is used. */
export interface TrainingBatch {
  x: Tensor;
  y: Tensor;
  /** Reward-penalty map, for RPDL. */
  rpMap?: Tensor;
}

/**
 * A training objective over the model's outputs (all of them, e.g. Myronenko18's VAE outputs) and
 * the batch. Called inside a gradient tape; must return a scalar.
 */
export type BatchLoss = (outputs: readonly Tensor[], batch: TrainingBatch) => Scalar;

/** Schedule plus the epoch budget. */
export interface LoopSettings extends ScheduleSettings {
  maxEpochs: number;
}

/** Inputs of {@link trainModel}. */
export interface TrainOptions {
  model: LayersModel;
  loss: BatchLoss;
  settings: LoopSettings;
  /** The batches of epoch `epoch` (1-based); must depend only on the epoch for exact resumes. */
  trainBatches: (epoch: number) => Iterable<TrainingBatch> | AsyncIterable<TrainingBatch>;
  /** Batches per epoch, for the progress bar. */
  batchesPerEpoch: number;
  /** Validation batches (the same every epoch); without them the training loss is monitored. */
  validationBatches?: () => Iterable<TrainingBatch>;
  /** Directory for checkpoint.ckpt, best.ckpt and log.csv; nothing is written without it. */
  directory?: string;
  /** Continue from `directory`'s checkpoint when there is one. */
  resume?: boolean;
  progress?: ProgressSink;
  /** Prefix of the progress lines, e.g. the run id. */
  label?: string;
  /**
   * Called after every optimisation step with the epoch, the step within it (both 1-based) and
   * the step's training loss: for `fit`-style logging, and for tests that interrupt a run.
   */
  onStep?: (epoch: number, step: number, loss: number) => void;
}

/** Why {@link trainModel} stopped: early stopping, or the epoch budget ran out. */
export type StopReason = 'early-stopping' | 'max-epochs';

/** The outcome of {@link trainModel}. */
export interface TrainResult {
  history: EpochRecord[];
  bestEpoch: number | null;
  bestValue: number | null;
  stoppedEarly: boolean;
  stopReason: StopReason;
  /** Epoch the run continued after (0 when it started fresh). */
  resumedFrom: number;
  /** `memory().numTensors` after each epoch this process trained (constant when nothing leaks). */
  tensorCounts: number[];
}

interface LoopState {
  epoch: number;
  schedule: ScheduleState;
  history: EpochRecord[];
  /** The model's random layers (dropout, VAE sampling), see `getRandomState`. */
  random: ModelRandomState;
  adamStep: number;
  finished: boolean;
  stoppedEarly: boolean;
  weightCount: number;
}

/** File names inside a run directory. */
export const CHECKPOINT_FILE = 'checkpoint.ckpt';
export const BEST_WEIGHTS_FILE = 'best.ckpt';
export const LOG_FILE = 'log.csv';

function toList(outputs: Tensor | Tensor[]): Tensor[] {
  return Array.isArray(outputs) ? outputs : [outputs];
}

function disposeBatch(batch: TrainingBatch): void {
  dispose([batch.x, batch.y, ...(batch.rpMap ? [batch.rpMap] : [])]);
}

/**
 * Every weight of a model (trainable and not, e.g. batch-norm statistics) as stored tensors, in
 * `model.weights` order. Names are positional: tfjs appends process-wide counters to layer names,
 * so the same architecture built twice gets different names.
 *
 * @example
 * const stored = readModelWeights(model);
 */
export function readModelWeights(model: LayersModel): StoredTensor[] {
  return model.weights.map((w, i) => ({
    name: `weight-${i}`,
    shape: [...(w.shape as number[])],
    data: Float32Array.from(w.read().dataSync() as ArrayLike<number>),
  }));
}

/**
 * Writes stored tensors back into a model built with the same architecture.
 *
 * @example
 * writeModelWeights(model, (await loadCheckpoint('best.ckpt')).tensors);
 */
export function writeModelWeights(model: LayersModel, stored: readonly StoredTensor[]): void {
  const weights = model.weights;
  if (stored.length < weights.length) {
    throw new Error(`checkpoint holds ${stored.length} weights, the model has ${weights.length}`);
  }
  weights.forEach((w, i) => {
    const s = stored[i]!;
    if (s.shape.join('x') !== w.shape.join('x')) {
      throw new Error(
        `checkpoint weight ${i} has shape [${s.shape}], the model's ${w.name} has [${w.shape}]`,
      );
    }
    const value = tensor(s.data, s.shape, 'float32');
    w.write(value);
    value.dispose();
  });
}

/**
 * Trains a model with a custom loop: Adam, ReduceLROnPlateau, early stopping, best-on-validation
 * weights, a CSV log and, after every epoch, an atomic checkpoint of weights, optimiser moments,
 * epoch, schedule and the model's random state (the generators of its random layers, e.g.
 * `@rpdl/models-3d`'s dropout and VAE sampling; see `getRandomState`), so that `resume`
 * continues exactly where a killed process left off (losing at most the epoch in progress). Layers that draw from `Math.random`
 * (tfjs `layers.dropout`, unseeded initialisers) are outside that state: use seeded ones for
 * reproducible runs. The RPDL map and Myronenko18's VAE terms do not fit
 * `model.fit()`, hence the loop.
 *
 * @example
 * const result = await trainModel({ model, loss, settings, trainBatches, batchesPerEpoch: 6, directory: 'run' });
 */
export async function trainModel(options: TrainOptions): Promise<TrainResult> {
  const { model, loss, settings, directory } = options;
  if (!Number.isInteger(settings.maxEpochs) || settings.maxEpochs < 1) {
    throw new RangeError(`maxEpochs must be an integer ≥ 1, got ${settings.maxEpochs}`);
  }
  const trainable = model.trainableWeights.map((w) => w.read() as Variable);
  const adam = new Adam(trainable, { learningRate: settings.learningRate });
  const checkpointPath = directory === undefined ? undefined : join(directory, CHECKPOINT_FILE);
  let state: LoopState = {
    epoch: 0,
    schedule: initialSchedule(settings),
    history: [],
    random: getRandomState(model),
    adamStep: 0,
    finished: false,
    stoppedEarly: false,
    weightCount: model.weights.length,
  };
  const bar = new ProgressBar(options.progress);
  const tensorCounts: number[] = [];
  try {
    if (options.resume && checkpointPath !== undefined && existsSync(checkpointPath)) {
      const saved = await loadCheckpoint<LoopState>(checkpointPath);
      state = saved.state;
      const weights = saved.tensors.slice(0, state.weightCount);
      const moments = saved.tensors.slice(state.weightCount);
      if (moments.length !== 2 * trainable.length) {
        throw new Error(
          `${checkpointPath} does not match this model: ${moments.length / 2} optimiser slots for ${trainable.length} variables`,
        );
      }
      writeModelWeights(model, weights);
      const asTensors = moments.map((m) => tensor(m.data, m.shape, 'float32'));
      adam.setState({
        step: state.adamStep,
        firstMoments: asTensors.slice(0, trainable.length),
        secondMoments: asTensors.slice(trainable.length),
      });
      dispose(asTensors);
      if (!Array.isArray(state.random)) {
        throw new Error(
          `${checkpointPath} holds no random state of the model's layers (written by an older version); train afresh without resume`,
        );
      }
      setRandomState(model, state.random);
      // The log is written after the checkpoint: a kill between the two leaves it one epoch behind
      // (or missing), and a finished run would never write it again. The history in the
      // checkpoint is the log's source, so rewriting it here repairs it byte for byte.
      await writeLog(join(directory!, LOG_FILE), state.history);
    }
    const resumedFrom = state.epoch;
    for (let epoch = state.epoch + 1; !state.finished && epoch <= settings.maxEpochs; epoch++) {
      adam.learningRate = state.schedule.learningRate;
      const started = performance.now();
      bar.start(
        `${options.label ?? ''}${options.label ? ' ' : ''}epoch ${epoch}/${settings.maxEpochs}`,
        options.batchesPerEpoch,
      );
      let lossSum = 0;
      let samples = 0;
      let step = 0;
      for await (const batch of options.trainBatches(epoch)) {
        let value: number;
        const n = batch.x.shape[0] ?? 1;
        try {
          const { value: lossTensor, grads } = variableGrads(
            () =>
              loss(toList(model.apply(batch.x, { training: true }) as Tensor | Tensor[]), batch),
            trainable,
          );
          adam.applyGradients(trainable.map((v) => grads[v.name]));
          value = (await lossTensor.data())[0]!;
          dispose([lossTensor, ...Object.values(grads)]);
        } finally {
          disposeBatch(batch);
        }
        if (!Number.isFinite(value))
          throw new Error(`epoch ${epoch}, step ${step + 1}: the training loss is ${value}`);
        lossSum += value * n;
        samples += n;
        step += 1;
        bar.step(n);
        options.onStep?.(epoch, step, value);
      }
      if (samples === 0) throw new Error(`epoch ${epoch} produced no training batches`);
      const trainLoss = lossSum / samples;
      const valLoss = options.validationBatches
        ? await evaluateLoss(model, loss, options.validationBatches())
        : trainLoss;
      const decision = advanceSchedule(state.schedule, valLoss, epoch, settings);
      const record: EpochRecord = {
        epoch,
        loss: trainLoss,
        valLoss,
        lr: adam.learningRate,
        time: (performance.now() - started) / 1000,
      };
      const stop = decision.stop || epoch === settings.maxEpochs;
      state = {
        epoch,
        schedule: decision.state,
        history: [...state.history, record],
        random: getRandomState(model),
        adamStep: adam.iterations,
        finished: stop,
        stoppedEarly: decision.stop && epoch < settings.maxEpochs,
        weightCount: model.weights.length,
      };
      if (directory !== undefined && checkpointPath !== undefined) {
        const weights = readModelWeights(model);
        // Best weights first: a kill between the two writes replays this epoch identically.
        if (decision.improved)
          await saveCheckpoint(join(directory, BEST_WEIGHTS_FILE), {
            tensors: weights,
            state: { epoch },
          });
        const { firstMoments, secondMoments } = adam.state();
        const moments = [...firstMoments, ...secondMoments].map((m, i) => ({
          name: `adam-${i}`,
          shape: [...m.shape],
          data: Float32Array.from(m.dataSync() as ArrayLike<number>),
        }));
        await saveCheckpoint(checkpointPath, { tensors: [...weights, ...moments], state });
        await writeLog(join(directory, LOG_FILE), state.history);
      }
      bar.finish(
        `loss ${trainLoss.toFixed(4)}  val_loss ${valLoss.toFixed(4)}  lr ${record.lr.toExponential(1)}${decision.improved ? '  *best' : ''}`,
      );
      tensorCounts.push(memory().numTensors);
    }
    return {
      history: state.history,
      bestEpoch: state.schedule.bestEpoch,
      bestValue: state.schedule.bestValue,
      stoppedEarly: state.stoppedEarly,
      stopReason: state.stoppedEarly ? 'early-stopping' : 'max-epochs',
      resumedFrom,
      tensorCounts,
    };
  } finally {
    adam.dispose();
  }
}

/**
 * Mean loss over batches in inference mode (no dropout), weighted by batch size. Disposes the
 * batches.
 *
 * @example
 * const valLoss = await evaluateLoss(model, loss, validationBatches());
 */
export async function evaluateLoss(
  model: LayersModel,
  loss: BatchLoss,
  batches: Iterable<TrainingBatch>,
): Promise<number> {
  let sum = 0;
  let samples = 0;
  for (const batch of batches) {
    try {
      const value = tidy(() =>
        loss(toList(model.apply(batch.x, { training: false }) as Tensor | Tensor[]), batch),
      );
      const n = batch.x.shape[0] ?? 1;
      sum += (await value.data())[0]! * n;
      samples += n;
      value.dispose();
    } finally {
      disposeBatch(batch);
    }
  }
  if (samples === 0) throw new Error('validation produced no batches');
  return sum / samples;
}
