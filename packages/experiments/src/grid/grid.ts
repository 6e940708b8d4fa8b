import { LOSS_NAMES, type LossName } from '@rpdl/losses';
import type { ModelName } from '@rpdl/models-3d';

export type { LossName };

/** The paper's two cross-validation studies: 1 = leave one bone out, 2 = leave one surgeon out. */
export type ExperimentId = 1 | 2;

/** Every experiment, in grid order. */
export const EXPERIMENTS: readonly ExperimentId[] = Object.freeze([1, 2] as const);
/** Every loss of the `@rpdl/losses` registry, in its order (the paper's three first). */
export { LOSS_NAMES };
/**
 * Every model, in the paper's table order. Kept here (equal to `MODEL_NAMES` of
 * `@rpdl/models-3d`) so argument parsing does not load TensorFlow.js.
 */
export const MODEL_ORDER: readonly ModelName[] = Object.freeze([
  'unet3d',
  'vnet3d',
  'isensee2017',
  'myronenko2018',
] as const);

/** One training run of the grid: a model trained with a loss on one fold of one experiment. */
export interface RunSpec {
  experiment: ExperimentId;
  model: ModelName;
  loss: LossName;
  fold: number;
}

/** Bones and surgeons of the dataset; they fix each experiment's fold count. */
export interface GridLayout {
  bones: number;
  surgeons: number;
}

/** What the grid is built from. `folds` undefined means every fold. */
export interface GridOptions {
  experiments: readonly ExperimentId[];
  models: readonly ModelName[];
  losses: readonly LossName[];
  folds?: readonly number[];
  layout: GridLayout;
}

/**
 * The number of folds of an experiment: one per bone (Experiment 1), one per surgeon (Experiment 2).
 *
 * @example
 * foldCount(1, { bones: 9, surgeons: 7 }); // 9
 */
export function foldCount(experiment: ExperimentId, layout: GridLayout): number {
  return experiment === 1 ? layout.bones : layout.surgeons;
}

/**
 * The deterministic run list: experiments, then models, then losses (each in canonical order,
 * whatever order they were given in), then folds ascending. A fold index beyond an experiment's
 * fold count is dropped for that experiment; one that fits no selected experiment is an error.
 *
 * @example
 * buildGrid({ experiments: [1], models: ['unet3d'], losses: ['dl'], folds: [0, 1],
 *             layout: { bones: 9, surgeons: 7 } }).map(runId);
 * // ['exp1/unet3d/dl/fold-0', 'exp1/unet3d/dl/fold-1']
 */
export function buildGrid(options: GridOptions): RunSpec[] {
  const { layout } = options;
  for (const key of ['bones', 'surgeons'] as const) {
    if (!Number.isInteger(layout[key]) || layout[key] < 2) {
      throw new RangeError(`layout.${key} must be an integer ≥ 2, got ${layout[key]}`);
    }
  }
  const experiments = EXPERIMENTS.filter((e) => options.experiments.includes(e));
  const models = MODEL_ORDER.filter((m) => options.models.includes(m));
  const losses = LOSS_NAMES.filter((l) => options.losses.includes(l));
  for (const [name, list] of [
    ['experiments', experiments],
    ['models', models],
    ['losses', losses],
  ] as const) {
    if (list.length === 0) throw new RangeError(`the grid needs at least one of ${name}`);
  }
  if (options.folds !== undefined) {
    const widest = Math.max(...experiments.map((e) => foldCount(e, layout)));
    for (const fold of options.folds) {
      if (!Number.isInteger(fold) || fold < 0 || fold >= widest) {
        throw new RangeError(
          `fold ${fold} does not exist: experiment(s) ${experiments.join(', ')} have folds 0..${widest - 1}`,
        );
      }
    }
  }
  const runs: RunSpec[] = [];
  for (const experiment of experiments) {
    const count = foldCount(experiment, layout);
    const folds =
      options.folds === undefined
        ? [...Array(count).keys()]
        : [...new Set(options.folds)].filter((f) => f < count).sort((a, b) => a - b);
    for (const model of models) {
      for (const loss of losses) {
        for (const fold of folds) runs.push({ experiment, model, loss, fold });
      }
    }
  }
  return runs;
}

/**
 * A run's stable identifier, also its directory under `<out>/runs/`.
 *
 * @example
 * runId({ experiment: 2, model: 'vnet3d', loss: 'rpdl', fold: 3 }); // 'exp2/vnet3d/rpdl/fold-3'
 */
export function runId(run: RunSpec): string {
  return `exp${run.experiment}/${run.model}/${run.loss}/fold-${run.fold}`;
}
