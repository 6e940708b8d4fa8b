import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { saveNpy, trainingRows, validationSplit } from '@rpdl/cm-dataset';
import { foregroundWeight, getLoss } from '@rpdl/losses';
import { binarize } from '@rpdl/losses/metrics';
import { BatchNormalization3D, buildModel, type ModelName } from '@rpdl/models-3d';
import { type Tensor, tidy } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { writeFileAtomic, writeJsonAtomic } from '@rpdl/atomic-fs';
import { hashSeed } from '@rpdl/random';
import {
  installMathRandom,
  loadCheckpoint,
  type ProgressSink,
  SeededRandom,
  trainModel,
  writeModelWeights,
} from '@rpdl/training';
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
import type { Profile } from '../grid/profiles.js';
import { RUN_FILES, type RunMetrics, runDirectory } from './run-dir.js';
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
 * The model a run trains, with the profile's architecture settings. No `seed` is passed to the
 * model: its initialisers and dropout masks then draw from `Math.random`, which the run routes
 * through its checkpointed generator (a seeded layer would keep a call counter the checkpoint
 * cannot see, and a resumed run would draw different masks).
 *
 * @example
 * modelConfigFor('unet3d', profile, [16, 16, 16]);
 */
export function modelConfigFor(
  name: ModelName,
  profile: Profile,
  spatialShape: readonly [number, number, number],
): ModelConfig {
  const inputShape = [...spatialShape, 1];
  const m = profile.model;
  if (name === 'myronenko2018') {
    return {
      name,
      options: {
        inputShape,
        baseFilters: m.myronenkoBaseFilters,
        depth: m.myronenkoDepth,
        groups: Math.min(8, m.myronenkoBaseFilters),
        vaeLatentDim: m.myronenkoLatentDim,
      },
    };
  }
  return {
    name,
    options: { inputShape, baseFilters: m.baseFilters, depth: m.depth, dropout: m.dropout },
  };
}

/**
 * Builds the model a config describes; `batchNormMomentum` (when given) replaces the momentum of
 * every batch-norm layer's moving statistics.
 *
 * @example
 * const model = buildFromConfig(config.model);
 */
export function buildFromConfig(
  config: ModelConfig,
  batchNormMomentum?: number | null,
): LayersModel {
  const model = buildModel(config.name, config.options as never);
  if (batchNormMomentum != null) {
    if (!(batchNormMomentum >= 0 && batchNormMomentum < 1)) {
      throw new RangeError(`batchNormMomentum must be in [0, 1), got ${batchNormMomentum}`);
    }
    for (const layer of model.layers) {
      if (layer instanceof BatchNormalization3D) {
        // Read on every call of the layer, so setting it after construction takes effect.
        (layer as { momentum: number }).momentum = batchNormMomentum;
      }
    }
  }
  return model;
}

/**
 * Probabilities of the segmentation output (output 0) for one input, as a flat array.
 *
 * @example
 * const probabilities = predictVolume(model, x);
 */
export function predictVolume(model: LayersModel, x: Tensor): Float32Array {
  return tidy(() => {
    const out = model.predict(x) as Tensor | Tensor[];
    const segmentation = Array.isArray(out) ? out[0]! : out;
    return Float32Array.from(segmentation.dataSync() as ArrayLike<number>);
  });
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
  const modelConfig = modelConfigFor(run.model, profile, dataset.spatialShape);
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

  const vae = run.model === 'myronenko2018';
  const batchSize = vae ? profile.training.myronenkoBatchSize : profile.training.batchSize;
  const needs = getLoss(run.loss).needs;
  const rows = trainingRows(cases);
  const weight = needs.foregroundWeight
    ? foregroundWeight(
        split.train.map((r) => cases.cases[rows[r]!.caseIndex]!.annotations[rows[r]!.annotation]!),
      )
    : undefined;
  const loss = batchLossFor(run.loss, { vae, ...(weight === undefined ? {} : { weight }) });
  // Fused targets from the fold's training annotations only, once per image.
  const caseTargets = foldTargets(needs.target, cases, split.train);

  const rng = new SeededRandom(seed);
  const restore = installMathRandom(rng);
  let model: LayersModel | undefined;
  try {
    model = buildFromConfig(modelConfig, profile.model.batchNormMomentum);
    const batches = runBatches({
      dataset,
      train,
      validation,
      mapRows: split.train,
      batchSize,
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
      rng,
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
      const probability = predictVolume(model, x);
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
      trainSeconds,
      images,
    };
    await writeJsonAtomic(metricsPath, metrics);
    return { status: 'trained', metrics, tensorCounts: result.tensorCounts };
  } finally {
    restore();
    model?.dispose();
  }
}
