import { integerFlag as integer, parseStrictFlags } from '@rpdl/example-cli-flags';

export interface Rpdl2dOptions {
  /** Training images (each with K annotations); held-out images are a quarter of this. */
  images: number;
  /** Annotators per image. */
  annotators: number;
  /** Image side in pixels. */
  size: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
}

export const DEFAULTS: Rpdl2dOptions = {
  images: 24,
  annotators: 5,
  size: 24,
  epochs: 6,
  batchSize: 8,
  learningRate: 0.01,
  seed: 7,
};

/** Small enough for CI: a few seconds on one core. */
export const SMOKE: Rpdl2dOptions = { ...DEFAULTS, images: 4, size: 16, epochs: 1 };

export const USAGE = `usage: pnpm start [-- options]

  --smoke           tiny run for CI (seconds)
  --images <n>      training images, each with K annotations (default ${DEFAULTS.images})
  --annotators <k>  annotators per image, ≥ 2 (default ${DEFAULTS.annotators})
  --size <px>       image side, ≥ 8 (default ${DEFAULTS.size})
  --epochs <n>      training epochs per model (default ${DEFAULTS.epochs})
  --seed <n>        seed for data and weights (default ${DEFAULTS.seed})
  --help            this text`;

/**
 * Reads the command line; `undefined` means `--help` was asked for.
 *
 * @throws UsageError on an unknown flag, a missing value or a value out of range.
 * @example
 * parseFlags(['--epochs', '5']); // { ...DEFAULTS, epochs: 5 }
 */
export function parseFlags(argv: readonly string[]): Rpdl2dOptions | undefined {
  const values = parseStrictFlags(argv, FLAGS);
  if (values.help) return undefined;
  const base = values.smoke ? SMOKE : DEFAULTS;
  return {
    ...base,
    images: integer('--images', values.images, base.images, 2),
    annotators: integer('--annotators', values.annotators, base.annotators, 2),
    size: integer('--size', values.size, base.size, 8),
    epochs: integer('--epochs', values.epochs, base.epochs, 1),
    seed: integer('--seed', values.seed, base.seed, 0),
  };
}

const FLAGS = {
  smoke: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  images: { type: 'string' },
  annotators: { type: 'string' },
  size: { type: 'string' },
  epochs: { type: 'string' },
  seed: { type: 'string' },
} as const;
