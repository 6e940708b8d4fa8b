import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { saveNpy, trainingRows, validationSplit } from '@rpdl/cm-dataset';
import { foregroundWeight, getLoss } from '@rpdl/losses';
import { binarize } from '@rpdl/losses/metrics';
import {
  buildSegmentationNetwork,
  type ModelName,
  type SegmentationNetwork,
} from '@rpdl/models-3d';
import { type Tensor, tidy } from '@tensorflow/tfjs-core';
import { writeFileAtomic, writeJsonAtomic } from '@rpdl/atomic-fs';
import { hashSeed } from '@rpdl/random';
import { loadCheckpoint, type ProgressSink, trainModel, writeModelWeights } from '@rpdl/training';
import {
  asTrainingCases,
  boneInput,
  foldSplit,
  type RunDataset,
  runBatches,
} from './data-pipeline.js';
import { evaluateFold, scoreImages, testBones } from '../evaluation/evaluation.js';
import { type RunSpec, runId } from '../grid/grid.js';
import { foldTargets } from './training-target.js';
import { batchSizeFor, modelOptionsFor, type Profile } from '../grid/profiles.js';
import { lockRun, RUN_FILES, type RunMetrics, runDirectory } from './run-dir.js';
import { batchLossFor } from './run-loss.js';
import { learningCurveSvg } from '../report/svg-plot.js';

/** Everything a run needs besides its own spec. */
export interface RunEnvironment {
  /** The CM layout, or training cases (a folder of your own; images already standardised). */
  dataset: RunDataset;
  profile: Profile;
  /** The global seed; each run derives its own from it and its id. */
  seed: number;
  out: string;
  resume: boolean;
  progress?: ProgressSink;
  /** Called after every optimisation step (tests interrupt runs through it). */
  onStep?: (epoch: number, step: number) => void;
}

/** Model construction settings stored in a run's config.json (what `rpdl predict` rebuilds). */
export interface ModelConfig {
  name: ModelName;
  options: Record<string, unknown>;
}

/** A run's config.json. */
export interface RunConfig {
  run: RunSpec;
  id: string;
  seed: number;
  profile: Profile;
  model: ModelConfig;
  spatialShape: [number, number, number];
  split: { train: number[]; validation: number[]; test: number[] };
  /** How inputs were prepared: CM labels by x/6.5 − 1 (also when absent), or per-volume z-score. */
  input?: 'cm-labels' | 'standardized';
}

/**
 * The seed of one run, from the global seed and the run id: independent of which process or shard
 * runs it, so sharded and single-process reproductions train identical models.
 *
 * @example
 * runSeed(1234, { experiment: 1, model: 'unet3d', loss: 'dl', fold: 0 });
 */
export function runSeed(seed: number, run: RunSpec): number {
  return hashSeed(`${seed}:${runId(run)}`);
}

/**
 * The model a run trains, with the profile's architecture settings (see `modelOptionsFor`) and
 * the run's seed, which seeds the initialisers and the generators of the dropout and VAE-sampling
 * layers; the trainer checkpoints those generators, so a resumed run draws the same masks.
 *
 * @example
 * modelConfigFor('unet3d', profile, [16, 16, 16], 1234);
 */
export function modelConfigFor(
  name: ModelName,
  profile: Profile,
  spatialShape: readonly [number, number, number],
  seed?: number,
): ModelConfig {
  return {
    name,
    options: {
      ...modelOptionsFor(profile, name, [...spatialShape, 1]),
      ...(seed === undefined ? {} : { seed }),
    },
  };
}

/**
 * Builds the network a config describes, with its output contract (which output is the
 * segmentation, what the training loss adds).
 *
 * @example
 * const network = buildFromConfig(config.model);
 */
export function buildFromConfig(config: ModelConfig): SegmentationNetwork {
  return buildSegmentationNetwork(config.name, config.options as never);
}

/**
 * Segmentation probabilities for one input, as a flat array.
 *
 * @example
 * const probabilities = predictVolume(network, x);
 */
export function predictVolume(network: Pick<SegmentationNetwork, 'segment'>, x: Tensor): Float32Array {
  return tidy(() => Float32Array.from(network.segment(x).dataSync() as ArrayLike<number>));
}

/** How a call to {@link executeRun} ended. */
export type RunOutcome =
  | { status: 'skipped'; metrics: RunMetrics }
  | {
      status: 'trained';
      metrics: RunMetrics;
      /** `memory().numTensors` after each epoch trained in this process (constant without leaks). */
      tensorCounts: number[];
    };

/**
 * Trains and evaluates one run of the grid in its own directory: config.json, log.csv, an epoch
 * checkpoint, best weights, thresholded predictions (.npy) for the fold's test bones, the learning
 * curve (SVG) and finally metrics.json, which marks the run finished. With `resume`, a finished run
 * is skipped and an interrupted one continues from its last epoch checkpoint; without it, leftovers
 * of an earlier attempt are removed first.
 *
 * @example
 * await executeRun({ experiment: 1, model: 'unet3d', loss: 'rpdl', fold: 0 }, environment);
 */
export async function executeRun(run: RunSpec, env: RunEnvironment): Promise<RunOutcome> {
  const dir = runDirectory(env.out, run);
  const metricsPath = join(dir, RUN_FILES.metrics);
  if (env.resume && existsSync(metricsPath)) {
    return {
      status: 'skipped',
      metrics: JSON.parse(await readFile(metricsPath, 'utf8')) as RunMetrics,
    };
  }
  if (!env.resume) await rm(dir, { recursive: true, force: true });
  const { dataset, profile } = env;
  const seed = runSeed(env.seed, run);
  const cases = asTrainingCases(dataset);
  const split = foldSplit(run.experiment, run.fold, cases);
  const { train, validation } = validationSplit(
    split.train,
    profile.training.validationFraction,
    seed,
  );
  const modelConfig = modelConfigFor(run.model, profile, dataset.spatialShape, seed);
  const config: RunConfig = {
    run,
    id: runId(run),
    seed,
    profile,
    model: modelConfig,
    spatialShape: [...dataset.spatialShape],
    split: { train: [...train], validation: [...validation], test: split.test },
    ...('layout' in dataset ? {} : { input: 'standardized' as const }),
  };
  await writeJsonAtomic(join(dir, RUN_FILES.config), config);

  const needs = getLoss(run.loss).needs;
  const rows = trainingRows(cases);
  const weight = needs.foregroundWeight
    ? foregroundWeight(
        split.train.map((r) => cases.cases[rows[r]!.caseIndex]!.annotations[rows[r]!.annotation]!),
      )
    : undefined;
  // Fused targets from the fold's training annotations only, once per image.
  const caseTargets = foldTargets(needs.target, cases, split.train);

  let network: SegmentationNetwork | undefined;
  try {
    network = buildFromConfig(modelConfig);
    const { model } = network;
    const loss = batchLossFor(run.loss, { network, ...(weight === undefined ? {} : { weight }) });
    const batches = runBatches({
      dataset,
      train,
      validation,
      mapRows: split.train,
      batchSize: batchSizeFor(profile, run.model),
      augmentation: profile.training.augmentation,
      seed,
      withMaps: needs.rewardPenaltyMap,
      steps: profile.training.stepsPerEpoch,
      ...(caseTargets ? { caseTargets } : {}),
    });
    const result = await trainModel({
      model,
      loss,
      settings: profile.training,
      directory: dir,
      resume: env.resume,
      label: runId(run),
      batchesPerEpoch: batches.batchesPerEpoch,
      trainBatches: batches.trainBatches,
      ...(batches.validationBatches ? { validationBatches: batches.validationBatches } : {}),
      ...(env.progress ? { progress: env.progress } : {}),
      ...(env.onStep ? { onStep: env.onStep } : {}),
    });
    const trainSeconds = result.history.reduce((s, r) => s + r.time, 0);

    const best = await loadCheckpoint(join(dir, RUN_FILES.best));
    writeModelWeights(model, best.tensors);
    const predictions = new Map<number, Uint8Array>();
    const probabilities = new Map<number, Float32Array>();
    await mkdir(join(dir, RUN_FILES.predictions), { recursive: true });
    for (const bone of testBones(run.experiment, run.fold, cases)) {
      const x = boneInput(dataset, bone);
      const probability = predictVolume(network, x);
      const binary = binarize(probability);
      x.dispose();
      predictions.set(bone, binary);
      probabilities.set(bone, probability);
      await saveNpy(join(dir, RUN_FILES.predictions, `bone-${bone}.npy`), {
        dtype: 'uint8',
        shape: [...dataset.spatialShape],
        data: binary,
        fortranOrder: false,
      });
    }
    const comparisons = evaluateFold(
      run.experiment,
      run.fold,
      cases,
      (bone) => predictions.get(bone)!,
    );
    const images = scoreImages(run.experiment, run.fold, cases, (b) => probabilities.get(b)!);
    await writeFileAtomic(join(dir, RUN_FILES.curve), learningCurveSvg(runId(run), result.history));
    const metrics: RunMetrics = {
      run,
      comparisons,
      epochs: result.history.length,
      bestEpoch: result.bestEpoch,
      stoppedEarly: result.stoppedEarly,
      stopReason: result.stopReason,
      trainSeconds,
      images,
    };
    await writeJsonAtomic(metricsPath, metrics);
    return { status: 'trained', metrics, tensorCounts: result.tensorCounts };
  } finally {
    network?.model.dispose();
  }
}

/**
 * {@link executeRun} while holding the run's lock (`<run dir>.lock`): a second process that
 * reaches the same run, in this grid or another shard on the same `--out`, is refused with a
 * `RunLockedError` naming the holder. Every process that trains runs (the CLI itself and each
 * `--jobs` worker) goes through here.
 *
 * @example
 * const outcome = await executeLockedRun(run, environment);
 */
export async function executeLockedRun(run: RunSpec, env: RunEnvironment): Promise<RunOutcome> {
  const lock = await lockRun(env.out, run);
  try {
    return await executeRun(run, env);
  } finally {
    await lock.release();
  }
}
