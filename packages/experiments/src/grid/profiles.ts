import type { PhantomSize } from '@rpdl/cm-dataset';
import { PAPER_LOSSES } from '@rpdl/losses';
import type { ModelName } from '@rpdl/models-3d';
import { type ExperimentId, type LossName, MODEL_ORDER } from './grid.js';

/** Names of the built-in settings. */
export type ProfileName = 'paper' | 'quick' | 'models' | 'smoke';
/** Training-time augmentation: the authors' 216 mirrors × rotations, the 48 cube symmetries, none. */
export type AugmentationName = 'reference' | 'cube' | 'identity';

/** Hyperparameters of the training loop. */
export interface TrainingSettings {
  learningRate: number;
  /** ReduceLROnPlateau: epochs without validation improvement before the LR is multiplied. */
  plateauPatience: number;
  plateauFactor: number;
  /** Early stopping: epochs without validation improvement before training stops. */
  earlyStoppingPatience: number;
  maxEpochs: number;
  validationFraction: number;
  batchSize: number;
  /** Myronenko18's batch (the paper: 16, GPU memory). */
  myronenkoBatchSize: number;
  /** Batches per epoch; null = one pass over every (row, transform) pair. */
  stepsPerEpoch: number | null;
  augmentation: AugmentationName;
}

/** Architecture settings shared by the models (Myronenko18 ignores dropout). */
export interface ModelSettings {
  baseFilters: number;
  depth: number;
  dropout: number;
  /** Base filters of Myronenko18 (its paper uses 32). */
  myronenkoBaseFilters: number;
  /** Encoder levels of Myronenko18 (its paper: 4); the volume must divide by 2^levels. */
  myronenkoDepth: number;
  /** VAE latent size of Myronenko18 (its paper: 128). */
  myronenkoLatentDim: number;
  /**
   * Momentum of the batch-norm moving statistics; null keeps the models' default (0.99, Keras's).
   * A run of a few dozen steps needs a smaller one, or inference would use statistics that still
   * mostly hold their initial values (0.99⁵⁰ ≈ 0.6).
   */
  batchNormMomentum: number | null;
}

/** A complete setting of the reproduction. */
export interface Profile {
  name: ProfileName;
  description: string;
  /** Phantom used when no `--data` directory is given. */
  phantom: { size: PhantomSize; seed: number };
  model: ModelSettings;
  training: TrainingSettings;
  /** The grid `rpdl reproduce` runs when no selection flag is given. */
  defaults: {
    experiments: readonly ExperimentId[];
    models: readonly ModelName[];
    losses: readonly LossName[];
    folds?: readonly number[];
  };
}

const ALL_LOSSES: readonly LossName[] = PAPER_LOSSES;

/** The paper's grid: both experiments, the four models, the three losses. */
const ALL_MODELS_GRID: Profile['defaults'] = {
  experiments: [1, 2],
  models: MODEL_ORDER,
  losses: ALL_LOSSES,
};

/** The paper's section V hyperparameters, for the real 64³ files and a GPU. */
const paper: Profile = {
  name: 'paper',
  description: "the paper's hyperparameters (64³, Adam 1e-4, batch 64/16, up to 200 epochs)",
  phantom: { size: 64, seed: 2020 },
  model: {
    baseFilters: 4,
    depth: 5,
    dropout: 0.3,
    myronenkoBaseFilters: 32,
    myronenkoDepth: 4,
    myronenkoLatentDim: 128,
    batchNormMomentum: null,
  },
  training: {
    learningRate: 1e-4,
    plateauPatience: 10,
    plateauFactor: 0.1,
    earlyStoppingPatience: 20,
    maxEpochs: 200,
    validationFraction: 0.1,
    batchSize: 64,
    myronenkoBatchSize: 16,
    stepsPerEpoch: null,
    augmentation: 'reference',
  },
  defaults: ALL_MODELS_GRID,
};

/**
 * CPU settings under which every run trains until early stopping fires on the validation loss,
 * chosen by measurement on Experiment 1, folds 0 and 4, and Experiment 2, folds 0 and 4 (package
 * README, "Choosing the default profile"): batch 8 at Adam 3e-3, epochs of 16 steps (128 samples,
 * so that the validation loss is checked often), the LR divided by 10 after 5 epochs without
 * improvement, stop after 8. A shorter patience (3 and 5) let the noisy first epochs, where the
 * validation loss rises while the batch-norm statistics settle, cut the LR before training had
 * started, and a run then crawled into the epoch cap. `maxEpochs` is only a safety cap, well
 * above the 26–74 epochs the runs stop at. The 16³ phantom keeps a run under a CPU-minute; no
 * dropout and a faster batch-norm momentum suit runs of a few thousand samples. The same settings
 * for every loss and model.
 */
const CONVERGED_TRAINING: TrainingSettings = {
  learningRate: 3e-3,
  plateauPatience: 5,
  plateauFactor: 0.1,
  earlyStoppingPatience: 8,
  maxEpochs: 150,
  validationFraction: 0.1,
  batchSize: 8,
  myronenkoBatchSize: 8,
  stepsPerEpoch: 16,
  augmentation: 'cube',
};

const CPU_MODELS: ModelSettings = {
  baseFilters: 4,
  depth: 3,
  dropout: 0,
  myronenkoBaseFilters: 8,
  myronenkoDepth: 3,
  myronenkoLatentDim: 16,
  batchNormMomentum: 0.9,
};

/** What `pnpm rpdl` runs: U-net × 3 losses × every fold of both experiments (48 runs), trained to convergence. */
const quick: Profile = {
  name: 'quick',
  description: 'U-net on a 16³ phantom, each run trained until early stopping (48 runs)',
  phantom: { size: 16, seed: 2020 },
  model: CPU_MODELS,
  training: CONVERGED_TRAINING,
  defaults: { experiments: [1, 2], models: ['unet3d'], losses: ALL_LOSSES },
};

/** The four models of the paper × 3 losses × 16 folds (192 runs) with the `quick` settings. */
const models: Profile = {
  name: 'models',
  description: 'all four models on a 16³ phantom, each run trained until early stopping (192 runs)',
  phantom: { size: 16, seed: 2020 },
  model: CPU_MODELS,
  training: CONVERGED_TRAINING,
  defaults: ALL_MODELS_GRID,
};

/** For CI: one fold of each experiment, the smallest phantom, one epoch of two steps. */
const smoke: Profile = {
  name: 'smoke',
  description: 'CI check: one fold, 16³ phantom, a 2-level U-net, one epoch of two steps',
  phantom: { size: 16, seed: 7 },
  model: {
    baseFilters: 2,
    depth: 2,
    dropout: 0.3,
    myronenkoBaseFilters: 4,
    myronenkoDepth: 2,
    myronenkoLatentDim: 4,
    batchNormMomentum: 0.5,
  },
  training: {
    learningRate: 1e-3,
    plateauPatience: 1,
    plateauFactor: 0.1,
    earlyStoppingPatience: 2,
    maxEpochs: 1,
    validationFraction: 0.1,
    batchSize: 2,
    myronenkoBatchSize: 2,
    stepsPerEpoch: 2,
    augmentation: 'identity',
  },
  defaults: { experiments: [1, 2], models: ['unet3d'], losses: ALL_LOSSES, folds: [0] },
};

/** The built-in profiles by name. */
export const PROFILES: Readonly<Record<ProfileName, Profile>> = Object.freeze({
  paper,
  quick,
  models,
  smoke,
});

/**
 * The profile called `name`, or a clear error listing the valid names.
 *
 * @example
 * getProfile('paper').training.learningRate; // 1e-4
 */
export function getProfile(name: string): Profile {
  if (!Object.hasOwn(PROFILES, name)) {
    throw new RangeError(
      `unknown profile "${name}"; expected one of ${Object.keys(PROFILES).join(', ')}`,
    );
  }
  return PROFILES[name as ProfileName];
}

/**
 * The builder options a profile gives one model for input volumes of `inputShape`: Myronenko18
 * takes its own filter, depth and latent settings (and group norm instead of batch norm), the
 * U-net family the shared ones plus the batch-norm momentum.
 *
 * @example
 * modelOptionsFor(getProfile('smoke'), 'unet3d', [16, 16, 16, 1]).depth; // the smoke depth
 */
export function modelOptionsFor(
  profile: Profile,
  model: ModelName,
  inputShape: readonly number[],
): Record<string, unknown> {
  const m = profile.model;
  if (model === 'myronenko2018') {
    return {
      inputShape: [...inputShape],
      baseFilters: m.myronenkoBaseFilters,
      depth: m.myronenkoDepth,
      groups: Math.min(8, m.myronenkoBaseFilters),
      vaeLatentDim: m.myronenkoLatentDim,
    };
  }
  return {
    inputShape: [...inputShape],
    baseFilters: m.baseFilters,
    depth: m.depth,
    dropout: m.dropout,
    ...(m.batchNormMomentum === null ? {} : { batchNormMomentum: m.batchNormMomentum }),
  };
}

/**
 * The training batch a profile gives one model (the paper: 64, and 16 for Myronenko18 for GPU
 * memory).
 *
 * @example
 * batchSizeFor(getProfile('paper'), 'myronenko2018'); // 16
 */
export function batchSizeFor(profile: Profile, model: ModelName): number {
  return model === 'myronenko2018'
    ? profile.training.myronenkoBatchSize
    : profile.training.batchSize;
}
