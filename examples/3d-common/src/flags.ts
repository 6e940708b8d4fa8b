import type { PhantomSize } from '@rpdl/cm-dataset';
import {
  integerFlag,
  oneOfFlag,
  parseStrictFlags,
  positiveFlag,
  UsageError,
} from '@rpdl/example-cli-flags';
import { getLoss, type LossName, LOSS_NAMES as REGISTRY_LOSSES } from '@rpdl/losses';

/**
 * The losses `--loss` takes: every registry loss that trains on one annotation per sample (the
 * paper's three); the fused-target ones (soft-dice, staple-dl, majority-dl) need per-bone
 * targets, which `rpdl reproduce --losses` computes.
 */
export const LOSS_NAMES: readonly LossName[] = REGISTRY_LOSSES.filter(
  (name) => getLoss(name).needs.target === 'annotation',
);
export type { LossName };

/** Phantom sizes `generatePhantom` supports. */
const SIZES: readonly PhantomSize[] = [16, 32, 64];

/** Everything one run of a 3D example needs to know. */
export interface ExampleSettings {
  loss: LossName;
  smoke: boolean;
  /** Side of the phantom volumes. */
  size: PhantomSize;
  bones: number;
  surgeons: number;
  /** The bone left out of training and scored (leave-one-bone-out). */
  heldOutBone: number;
  /** Optimiser steps with the native kernels of `@rpdl/cpu-kernels`. */
  steps: number;
  /**
   * Optimiser steps when only the stock tfjs kernels are there (a 16³ U-net step is about 9×
   * slower), so that the default run takes about as long either way. `--steps` sets both.
   */
  stockSteps: number;
  batchSize: number;
  learningRate: number;
  /** Filters at the finest level of the network. */
  baseFilters: number;
  /** Resolution levels of the network. */
  depth: number;
  seed: number;
  /** Where the PNG slice panel goes. */
  out: string;
  /** Use the native kernels of `@rpdl/cpu-kernels` when they are built. */
  nativeKernels: boolean;
}

/** The settings an example starts from, for the normal run and for `--smoke`. */
export interface ExampleDefaults {
  full: ExampleSettings;
  smoke: ExampleSettings;
}

/**
 * The settings an example starts from when it changes nothing: RPDL on a 16³ phantom of
 * 9 bones × 7 surgeons with bone 0 held out, 300 Adam steps (40 on the stock kernels) of batch 4
 * at 0.003, 4 base filters, depth 3, seed 1, the panel in `<name>.png`; `--smoke` keeps 3 bones ×
 * 3 surgeons, 2 steps and depth 2. `full` and `smoke` override what a model needs otherwise.
 *
 * @example
 * const defaults = exampleDefaults('myronenko2018', { full: { steps: 150, stockSteps: 20 } });
 */
export function exampleDefaults(
  name: string,
  overrides: { full?: Partial<ExampleSettings>; smoke?: Partial<ExampleSettings> } = {},
): ExampleDefaults {
  const full: ExampleSettings = {
    loss: 'rpdl',
    smoke: false,
    size: 16,
    bones: 9,
    surgeons: 7,
    heldOutBone: 0,
    steps: 300,
    stockSteps: 40,
    batchSize: 4,
    learningRate: 0.003,
    baseFilters: 4,
    depth: 3,
    seed: 1,
    out: `${name}.png`,
    nativeKernels: true,
    ...overrides.full,
  };
  return {
    full,
    smoke: {
      ...full,
      smoke: true,
      bones: 3,
      surgeons: 3,
      steps: 2,
      stockSteps: 2,
      depth: 2,
      ...overrides.smoke,
    },
  };
}

/**
 * The usage text of example `name`, with its own defaults.
 *
 * @example
 * console.log(usage('unet3d', defaults));
 */
export function usage(name: string, defaults: ExampleDefaults): string {
  const d = defaults.full;
  return `usage: pnpm start [-- options]      (${name} on the synthetic CM phantom)

  --loss wcel|dl|rpdl  training loss (default ${d.loss})
  --smoke              tiny run for CI: ${defaults.smoke.size}³ phantom, ${defaults.smoke.steps} steps (seconds)
  --steps <n>          optimiser steps (default ${d.steps} with native kernels, ${d.stockSteps} without)
  --batch <n>          batch size (default ${d.batchSize})
  --lr <x>             Adam learning rate (default ${d.learningRate})
  --size 16|32|64      phantom side (default ${d.size})
  --filters <n>        base filters of the network (default ${d.baseFilters})
  --depth <n>          resolution levels of the network (default ${d.depth})
  --bone <i>           held-out bone, 0..${d.bones - 1} (default ${d.heldOutBone})
  --seed <n>           seed for phantom, weights and batches (default ${d.seed})
  --out <file.png>     slice panel path (default ${d.out})
  --stock-kernels      do not use @rpdl/cpu-kernels' native kernels even when built
  --help               this text`;
}

/**
 * Reads the command line of a 3D example; `undefined` means `--help` was asked for. A leading
 * `--` (what `pnpm start -- --smoke` passes on) is ignored.
 *
 * @throws UsageError on an unknown flag, a missing value or a value out of range.
 * @example
 * parseExampleFlags(['--loss', 'dl', '--smoke'], defaults); // smoke settings with Dice loss
 */
export function parseExampleFlags(
  argv: readonly string[],
  defaults: ExampleDefaults,
): ExampleSettings | undefined {
  const values = parseStrictFlags(argv, FLAGS);
  if (values.help) return undefined;
  const base = values.smoke ? defaults.smoke : defaults.full;
  const settings: ExampleSettings = {
    ...base,
    loss: oneOfFlag('--loss', values.loss, LOSS_NAMES, base.loss),
    steps: integerFlag('--steps', values.steps, base.steps, 1),
    stockSteps: integerFlag('--steps', values.steps, base.stockSteps, 1),
    batchSize: integerFlag('--batch', values.batch, base.batchSize, 1),
    learningRate: positiveFlag('--lr', values.lr, base.learningRate),
    size: oneOfFlag(
      '--size',
      values.size === undefined ? undefined : Number(values.size),
      SIZES,
      base.size,
      values.size,
    ),
    baseFilters: integerFlag('--filters', values.filters, base.baseFilters, 1),
    depth: integerFlag('--depth', values.depth, base.depth, 1),
    heldOutBone: integerFlag('--bone', values.bone, base.heldOutBone, 0),
    seed: integerFlag('--seed', values.seed, base.seed, 0),
    out: values.out ?? base.out,
    nativeKernels: values['stock-kernels'] ? false : base.nativeKernels,
  };
  if (settings.heldOutBone >= settings.bones) {
    throw new UsageError(
      `--bone must be below the phantom's ${settings.bones} bones, got ${settings.heldOutBone}`,
    );
  }
  if (!settings.out.endsWith('.png')) {
    throw new UsageError(`--out must name a .png file, got '${settings.out}'`);
  }
  return settings;
}

const FLAGS = {
  loss: { type: 'string' },
  smoke: { type: 'boolean' },
  steps: { type: 'string' },
  batch: { type: 'string' },
  lr: { type: 'string' },
  size: { type: 'string' },
  filters: { type: 'string' },
  depth: { type: 'string' },
  bone: { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
  'stock-kernels': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;
