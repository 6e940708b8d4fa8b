/** The four networks of the paper, by the names `buildModel` accepts. */
export type ModelName = 'unet3d' | 'vnet3d' | 'isensee2017' | 'myronenko2018';

/** Every {@link ModelName}, in the paper's table order. */
export const MODEL_NAMES: readonly ModelName[] = Object.freeze([
  'unet3d',
  'vnet3d',
  'isensee2017',
  'myronenko2018',
]);

/** Output activation over the label axis. */
export type OutputActivation = 'sigmoid' | 'softmax';

/** Options shared by every model; omitted fields take the paper's setting. */
export interface ModelOptions {
  /** `[depth, height, width, channels]` of one input volume. Default `[64, 64, 64, 1]`. */
  inputShape?: [number, number, number, number];
  /** Filters at the finest level; level l has `baseFilters·2^l`. Default 4. */
  baseFilters?: number;
  /** Number of resolution levels. Default 5. */
  depth?: number;
  /** Output channels (one per label). Default 1. */
  labels?: number;
  /** SpatialDropout3D rate inside each context module, in [0, 1). Default 0.3. */
  dropout?: number;
  /** Output activation. Default `'sigmoid'`; `'softmax'` needs at least 2 labels. */
  activation?: OutputActivation;
  /** Seed for weight initialisation and dropout masks; omitted means unseeded. */
  seed?: number;
}

/** Options of the batch-normalised networks (U-net, V-net, Isensee17). */
export interface UnetFamilyOptions extends ModelOptions {
  /**
   * Weight of the old value in every batch-norm layer's moving mean and variance, in [0, 1).
   * Default 0.99 (Keras). Smaller values let the inference statistics follow the weights in
   * short runs.
   */
  batchNormMomentum?: number;
}

/** {@link ModelOptions} with every default filled in and validated. */
export interface ResolvedModelOptions {
  inputShape: [number, number, number, number];
  baseFilters: number;
  depth: number;
  labels: number;
  dropout: number;
  activation: OutputActivation;
  seed: number | undefined;
}

/** The paper's setting for U-net, V-net and Isensee17. */
export const PAPER_DEFAULTS: Readonly<Omit<ResolvedModelOptions, 'seed'>> = Object.freeze({
  inputShape: [64, 64, 64, 1] as [number, number, number, number],
  baseFilters: 4,
  depth: 5,
  labels: 1,
  dropout: 0.3,
  activation: 'sigmoid' as const,
});

const COMMON_OPTION_KEYS = [
  'inputShape',
  'baseFilters',
  'depth',
  'labels',
  'dropout',
  'activation',
  'seed',
] as const;

function positiveInteger(value: number, what: string, model: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${model}: ${what} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/**
 * Fills in defaults and validates options: positive integer sizes, a spatial size divisible by
 * `2^downsamplings`, a dropout rate in [0, 1), a known activation. `downsamplings` is how often
 * the model halves the volume (depth − 1 for the U-net family). Keys other than the common
 * ones and `extraKeys` are rejected, so a misspelt or misplaced option is never ignored.
 *
 * @example
 * resolveModelOptions('unet3d', { depth: 3 }, PAPER_DEFAULTS, (o) => o.depth - 1).depth; // 3
 */
export function resolveModelOptions(
  model: string,
  options: ModelOptions,
  defaults: Readonly<Omit<ResolvedModelOptions, 'seed'>>,
  downsamplings: (resolved: ResolvedModelOptions) => number,
  extraKeys: readonly string[] = [],
): ResolvedModelOptions {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${model}: options must be an object, got ${String(options)}`);
  }
  const known = [...COMMON_OPTION_KEYS, ...extraKeys];
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new RangeError(
        `${model}: unknown option '${key}'; expected one of ${known.join(', ')}`,
      );
    }
  }
  const inputShape = options.inputShape ?? defaults.inputShape;
  if (!Array.isArray(inputShape) || inputShape.length !== 4) {
    throw new RangeError(
      `${model}: inputShape must be [depth, height, width, channels], got ${JSON.stringify(inputShape)}`,
    );
  }
  for (const [i, n] of inputShape.entries()) positiveInteger(n, `inputShape[${i}]`, model);
  const resolved: ResolvedModelOptions = {
    inputShape: [...inputShape],
    baseFilters: positiveInteger(options.baseFilters ?? defaults.baseFilters, 'baseFilters', model),
    depth: positiveInteger(options.depth ?? defaults.depth, 'depth', model),
    labels: positiveInteger(options.labels ?? defaults.labels, 'labels', model),
    dropout: options.dropout ?? defaults.dropout,
    activation: options.activation ?? defaults.activation,
    seed: options.seed,
  };
  if (!(typeof resolved.dropout === 'number' && resolved.dropout >= 0 && resolved.dropout < 1)) {
    throw new RangeError(`${model}: dropout must be in [0, 1), got ${String(resolved.dropout)}`);
  }
  if (resolved.activation !== 'sigmoid' && resolved.activation !== 'softmax') {
    throw new RangeError(
      `${model}: activation must be 'sigmoid' or 'softmax', got ${String(resolved.activation)}`,
    );
  }
  if (resolved.activation === 'softmax' && resolved.labels < 2) {
    throw new RangeError(
      `${model}: softmax over ${resolved.labels} label is constant 1; use 'sigmoid' or labels ≥ 2`,
    );
  }
  if (resolved.seed !== undefined && !Number.isInteger(resolved.seed)) {
    throw new RangeError(`${model}: seed must be an integer, got ${String(resolved.seed)}`);
  }
  const factor = 2 ** downsamplings(resolved);
  const spatial = resolved.inputShape.slice(0, 3);
  if (spatial.some((n) => n % factor !== 0)) {
    throw new RangeError(
      `${model}: each spatial size must be divisible by ${factor} (the model halves it ${downsamplings(resolved)} times), got inputShape ${JSON.stringify(resolved.inputShape)}`,
    );
  }
  return resolved;
}
