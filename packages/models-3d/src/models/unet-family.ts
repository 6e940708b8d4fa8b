import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { levelFilters } from '../filters.js';
import { batchNormalization3d } from '../layers/batch-normalization-3d.js';
import { upSampling3d } from '../layers/up-sampling-3d.js';
import {
  PAPER_DEFAULTS,
  type ResolvedModelOptions,
  resolveModelOptions,
  type UnetFamilyOptions,
} from './options.js';
import { apply, SeededBuilder } from './seeds.js';

/** How encoder levels combine and how the output is read out. */
export interface UnetFamilyVariant {
  /** Level output = first block + context module (V-net, Isensee17) instead of the context module. */
  residualLevels: boolean;
  /**
   * Sum 1×1×1 heads of decoder levels 0 … min(2, depth − 2), coarsest first, up-sampling the
   * running sum by 2 before each addition (Isensee17).
   */
  deepSupervision: boolean;
}

const LEAKY_ALPHA = 0.3;

/** {@link UnetFamilyOptions} with every default filled in and validated. */
export interface ResolvedUnetFamilyOptions extends ResolvedModelOptions {
  batchNormMomentum: number;
}

/**
 * Fills in the paper's defaults and validates the options of U-net, V-net or Isensee17 (see
 * `resolveModelOptions`), plus `batchNormMomentum` in [0, 1) (default 0.99).
 *
 * @example
 * resolveUnetFamilyOptions('vnet3d', { batchNormMomentum: 0.9 }).batchNormMomentum; // 0.9
 */
export function resolveUnetFamilyOptions(
  model: string,
  options: UnetFamilyOptions,
): ResolvedUnetFamilyOptions {
  const base = resolveModelOptions(model, options, PAPER_DEFAULTS, (o) => o.depth - 1, [
    'batchNormMomentum',
  ]);
  const batchNormMomentum = options.batchNormMomentum ?? 0.99;
  if (!(typeof batchNormMomentum === 'number' && batchNormMomentum >= 0 && batchNormMomentum < 1)) {
    throw new RangeError(
      `${model}: batchNormMomentum must be in [0, 1), got ${String(batchNormMomentum)}`,
    );
  }
  return { ...base, batchNormMomentum };
}

/** Builds layers of one network with per-layer seeds. */
class Builder extends SeededBuilder {
  constructor(
    seed: number | undefined,
    private readonly batchNormMomentum: number,
  ) {
    super(seed);
  }

  /** Conv3D 'same' → batch norm → LeakyReLU(0.3). */
  block(x: SymbolicTensor, filters: number, kernelSize = 3, strides = 1): SymbolicTensor {
    const conv = this.conv(x, filters, kernelSize, strides);
    const normed = apply(batchNormalization3d({ momentum: this.batchNormMomentum }), conv);
    return apply(layers.leakyReLU({ alpha: LEAKY_ALPHA }), normed);
  }
}

/**
 * Builds the U-net / V-net / Isensee17 graph from validated options; returns the input and the
 * activated output `[batch, D, H, W, labels]`.
 */
export function buildUnetFamily(
  options: ResolvedUnetFamilyOptions,
  variant: UnetFamilyVariant,
): { input: SymbolicTensor; output: SymbolicTensor } {
  const build = new Builder(options.seed, options.batchNormMomentum);
  const filters = levelFilters(options.baseFilters, options.depth);
  const input = layers.inputLayer({ inputShape: options.inputShape }).output as SymbolicTensor;

  const levels: SymbolicTensor[] = [];
  let x = input;
  filters.forEach((f, level) => {
    const first = build.block(x, f, 3, level === 0 ? 1 : 2);
    const context = build.block(build.dropout(build.block(first, f), options.dropout), f);
    x = variant.residualLevels ? apply(layers.add(), [first, context]) : context;
    levels.push(x);
  });

  const decoded: SymbolicTensor[] = [];
  for (let level = options.depth - 2; level >= 0; level--) {
    const f = filters[level] as number;
    const up = build.block(apply(upSampling3d({ size: 2 }), x), f);
    const merged = apply(layers.concatenate({ axis: -1 }), [levels[level] as SymbolicTensor, up]);
    x = build.block(build.block(merged, f, 3), f, 1);
    decoded[level] = x;
  }
  // depth 1 has no decoder: the head reads the single encoder level.
  if (options.depth === 1) decoded[0] = x;

  const head = (level: number) => build.conv(decoded[level] as SymbolicTensor, options.labels, 1);
  let logits: SymbolicTensor;
  if (variant.deepSupervision) {
    const coarsest = Math.max(0, Math.min(2, options.depth - 2));
    logits = head(coarsest);
    for (let level = coarsest - 1; level >= 0; level--) {
      logits = apply(layers.add(), [apply(upSampling3d({ size: 2 }), logits), head(level)]);
    }
  } else {
    logits = head(0);
  }
  const output = apply(layers.activation({ activation: options.activation }), logits);
  return { input, output };
}
