import { type LayersModel, layers, model, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { levelFilters } from '../filters.js';
import { groupNormalization } from '../layers/group-normalization.js';
import { upSampling3d } from '../layers/up-sampling-3d.js';
import { vaeSampling } from '../layers/vae-sampling.js';
import { type ModelOptions, type ResolvedModelOptions, resolveModelOptions } from './options.js';
import { apply, SeededBuilder } from './seeds.js';

/** Activation after every group norm and the VAE's dense layer. */
export type HiddenActivation = 'relu' | 'leakyRelu';

/** Options of {@link myronenko2018}; omitted fields take Myronenko's setting except dropout. */
export interface Myronenko2018Options extends ModelOptions {
  /** Filters of the first level (doubling per level). Default 32 (the original). */
  baseFilters?: number;
  /** Resolution levels of the encoder. Default 4 (the original). */
  depth?: number;
  /** Spatial dropout after the initial convolution (the original used 0.2). Default 0 (the paper). */
  dropout?: number;
  /** ResNet blocks per encoder level, one entry per level. Default `[1, 2, 2, 4]` (extended with 4s). */
  blocksPerLevel?: number[];
  /** Group-norm groups; must divide every level's filter count. Default 8. */
  groups?: number;
  /** Size of the VAE latent space. Default 128. */
  vaeLatentDim?: number;
  /** Channels of the VAE's reduced encoding before the dense layer. Default 16. */
  vaeReducedChannels?: number;
  /** `'leakyRelu'` (α 0.3, the paper's "Leaky ReLU after all CNN layers") or Myronenko's `'relu'`. Default `'leakyRelu'`. */
  hiddenActivation?: HiddenActivation;
}

const MYRONENKO_DEFAULTS = Object.freeze({
  inputShape: [64, 64, 64, 1] as [number, number, number, number],
  baseFilters: 32,
  depth: 4,
  labels: 1,
  dropout: 0,
  activation: 'sigmoid' as const,
});

interface MyronenkoSettings extends ResolvedModelOptions {
  blocksPerLevel: number[];
  groups: number;
  vaeLatentDim: number;
  vaeReducedChannels: number;
  hiddenActivation: HiddenActivation;
}

function resolve(options: Myronenko2018Options): MyronenkoSettings {
  // The encoder halves the volume depth − 1 times and the VAE branch once more.
  const base = resolveModelOptions('myronenko2018', options, MYRONENKO_DEFAULTS, (o) => o.depth, [
    'blocksPerLevel',
    'groups',
    'vaeLatentDim',
    'vaeReducedChannels',
    'hiddenActivation',
  ]);
  const blocksPerLevel =
    options.blocksPerLevel ?? Array.from({ length: base.depth }, (_, l) => [1, 2, 2][l] ?? 4);
  if (
    !Array.isArray(blocksPerLevel) ||
    blocksPerLevel.length !== base.depth ||
    !blocksPerLevel.every((n) => Number.isInteger(n) && n >= 1)
  ) {
    throw new RangeError(
      `myronenko2018: blocksPerLevel must hold ${base.depth} positive integers (one per level), got ${JSON.stringify(blocksPerLevel)}`,
    );
  }
  const groups = options.groups ?? 8;
  if (!Number.isInteger(groups) || groups < 1 || base.baseFilters % groups !== 0) {
    throw new RangeError(
      `myronenko2018: groups must be a positive integer dividing baseFilters (${base.baseFilters}) so that group norm splits every level evenly, got ${String(groups)}`,
    );
  }
  const positive = (value: number, what: string) => {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(
        `myronenko2018: ${what} must be a positive integer, got ${String(value)}`,
      );
    }
    return value;
  };
  const hiddenActivation = options.hiddenActivation ?? 'leakyRelu';
  if (hiddenActivation !== 'relu' && hiddenActivation !== 'leakyRelu') {
    throw new RangeError(
      `myronenko2018: hiddenActivation must be 'relu' or 'leakyRelu', got ${String(hiddenActivation)}`,
    );
  }
  return {
    ...base,
    blocksPerLevel: [...blocksPerLevel],
    groups,
    vaeLatentDim: positive(options.vaeLatentDim ?? 128, 'vaeLatentDim'),
    vaeReducedChannels: positive(options.vaeReducedChannels ?? 16, 'vaeReducedChannels'),
    hiddenActivation,
  };
}

class Builder extends SeededBuilder {
  constructor(private readonly settings: MyronenkoSettings) {
    super(settings.seed);
  }

  dense(x: SymbolicTensor, units: number): SymbolicTensor {
    return apply(layers.dense({ units, kernelInitializer: this.initializer() }), x);
  }

  act(x: SymbolicTensor): SymbolicTensor {
    return this.settings.hiddenActivation === 'relu'
      ? apply(layers.reLU(), x)
      : apply(layers.leakyReLU({ alpha: 0.3 }), x);
  }

  normAct(x: SymbolicTensor): SymbolicTensor {
    return this.act(apply(groupNormalization({ groups: this.settings.groups }), x));
  }

  /** GN → act → conv 3³ → GN → act → conv 3³, plus the identity. */
  resBlock(x: SymbolicTensor, filters: number): SymbolicTensor {
    const inner = this.conv(this.normAct(this.conv(this.normAct(x), filters, 3)), filters, 3);
    return apply(layers.add(), [x, inner]);
  }

  sample(mean: SymbolicTensor, logVar: SymbolicTensor): SymbolicTensor {
    const seed = this.seeds.take();
    return apply(vaeSampling(seed === undefined ? {} : { seed }), [mean, logVar]);
  }
}

/**
 * Myronenko 2018 ("3D MRI brain tumor segmentation using autoencoder regularization"):
 *
 * - encoder: initial 3³ conv (base filters), then per level l a stride-2 3³ conv doubling the
 *   filters (l > 0) and `blocksPerLevel[l]` ResNet blocks (GN → act → conv → GN → act → conv,
 *   plus identity);
 * - decoder, l = depth−2 … 0: 1³ conv to level-l filters → up-sample ×2 → add the level-l
 *   encoder output → one ResNet block; a 1³ conv to `labels` and the output activation;
 * - VAE branch from the encoder end: GN → act → stride-2 3³ conv to 16 channels → flatten →
 *   dense to μ and to log σ² (latent 128) → sample → dense → act → reshape → 1³ conv → up-sample,
 *   then per level 1³ conv → up-sample → ResNet block (no skips), and a 1³ conv back to the
 *   input channels.
 *
 * Outputs `[segmentation, reconstruction, zMean, zLogVar]`. Differences from the original,
 * for the paper's setting: nearest-neighbour instead of trilinear up-sampling, LeakyReLU(0.3)
 * by default, no dropout by default, one input channel.
 *
 * @example
 * const net = myronenko2018({ inputShape: [16, 16, 16, 1], baseFilters: 8, vaeLatentDim: 16 });
 * net.outputs.map((o) => o.shape); // [[null,16,16,16,1], [null,16,16,16,1], [null,16], [null,16]]
 */
export function myronenko2018(options: Myronenko2018Options = {}): LayersModel {
  const s = resolve(options);
  const build = new Builder(s);
  const filters = levelFilters(s.baseFilters, s.depth);
  const input = layers.inputLayer({ inputShape: s.inputShape }).output as SymbolicTensor;

  let x = build.dropout(build.conv(input, s.baseFilters, 3), s.dropout);
  const skips: SymbolicTensor[] = [];
  filters.forEach((f, level) => {
    if (level > 0) x = build.conv(x, f, 3, 2);
    for (let b = 0; b < (s.blocksPerLevel[level] as number); b++) x = build.resBlock(x, f);
    skips.push(x);
  });
  const encoded = x;

  for (let level = s.depth - 2; level >= 0; level--) {
    const f = filters[level] as number;
    const up = apply(upSampling3d({ size: 2 }), build.conv(x, f, 1));
    x = build.resBlock(apply(layers.add(), [up, skips[level] as SymbolicTensor]), f);
  }
  const segmentation = apply(
    layers.activation({ activation: s.activation }),
    build.conv(x, s.labels, 1),
  );

  const coarsest = s.inputShape.slice(0, 3).map((n) => n / 2 ** s.depth) as [
    number,
    number,
    number,
  ];
  const reduced = build.conv(build.normAct(encoded), s.vaeReducedChannels, 3, 2);
  const flat = apply(layers.flatten(), reduced);
  const zMean = build.dense(flat, s.vaeLatentDim);
  const zLogVar = build.dense(flat, s.vaeLatentDim);
  const z = build.sample(zMean, zLogVar);
  let v = build.act(build.dense(z, s.vaeReducedChannels * coarsest[0] * coarsest[1] * coarsest[2]));
  v = apply(layers.reshape({ targetShape: [...coarsest, s.vaeReducedChannels] }), v);
  v = apply(upSampling3d({ size: 2 }), build.conv(v, filters[s.depth - 1] as number, 1));
  for (let level = s.depth - 2; level >= 0; level--) {
    const f = filters[level] as number;
    v = build.resBlock(apply(upSampling3d({ size: 2 }), build.conv(v, f, 1)), f);
  }
  const reconstruction = build.conv(v, s.inputShape[3], 1);

  return model({
    inputs: input,
    outputs: [segmentation, reconstruction, zMean, zLogVar],
    name: 'myronenko2018',
  });
}
