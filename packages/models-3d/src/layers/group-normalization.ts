import {
  add,
  type DataType,
  div,
  moments,
  mul,
  reshape,
  type serialization,
  sqrt,
  sub,
  type Tensor,
  tidy,
} from '@tensorflow/tfjs-core';
import { initializers, type LayerVariable, layers, type Shape } from '@tensorflow/tfjs-layers';
import { type LayerArgs, singleInput, singleShape } from './layer-types.js';

/** Options of {@link GroupNormalization}; defaults follow Myronenko 2018 and Keras. */
export interface GroupNormalizationArgs extends LayerArgs {
  /** Number of channel groups; must divide the channel count. Default 8. */
  groups?: number;
  /** Added to the variance before the square root, > 0. Default 1e-3 (Keras). */
  epsilon?: number;
}

/**
 * Group normalisation (Wu & He 2018) of channels-last input `[batch, ...spatial, C]`: the C
 * channels are split into `groups` groups of C/groups, and each sample's group is normalised
 * by its own mean and variance over space and the group's channels, then scaled by γ and
 * shifted by β per channel. Identical in training and inference; `2·C` parameters.
 */
export class GroupNormalization extends layers.Layer {
  static className = 'GroupNormalization';
  readonly groups: number;
  readonly epsilon: number;
  private gamma: LayerVariable | null = null;
  private beta: LayerVariable | null = null;

  constructor(args: GroupNormalizationArgs = {}) {
    super(args);
    this.groups = args.groups ?? 8;
    this.epsilon = args.epsilon ?? 1e-3;
    if (!Number.isInteger(this.groups) || this.groups < 1) {
      throw new RangeError(
        `GroupNormalization groups must be a positive integer, got ${String(args.groups)}`,
      );
    }
    if (!(this.epsilon > 0)) {
      throw new RangeError(`GroupNormalization epsilon must be > 0, got ${String(args.epsilon)}`);
    }
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(inputShape, GroupNormalization.className);
    const channels = this.channelsOf(shape);
    const dtype: DataType = 'float32';
    this.gamma = this.addWeight('gamma', [channels], dtype, initializers.ones(), undefined, true);
    this.beta = this.addWeight('beta', [channels], dtype, initializers.zeros(), undefined, true);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tidy(() => {
      const x = singleInput(inputs, GroupNormalization.className);
      const channels = this.channelsOf(x.shape);
      if (this.gamma == null || this.beta == null) {
        throw new Error('GroupNormalization was called before it was built');
      }
      const batch = x.shape[0] as number;
      const grouped = reshape(x, [batch, -1, this.groups, channels / this.groups]);
      const { mean, variance } = moments(grouped, [1, 3], true);
      const normalised = reshape(
        div(sub(grouped, mean), sqrt(add(variance, this.epsilon))),
        x.shape,
      );
      return add(mul(normalised, this.gamma.read()), this.beta.read());
    });
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), groups: this.groups, epsilon: this.epsilon };
  }

  private channelsOf(shape: readonly (number | null)[]): number {
    const channels = shape[shape.length - 1];
    if (shape.length < 3 || channels == null) {
      throw new Error(
        `GroupNormalization expects channels-last input [batch, ...spatial, channels] with a known channel count, got shape [${shape.join(', ')}]`,
      );
    }
    if (channels % this.groups !== 0) {
      throw new RangeError(
        `GroupNormalization groups (${this.groups}) must divide the channel count, got ${channels} channels`,
      );
    }
    return channels;
  }
}

/**
 * Creates a {@link GroupNormalization} layer.
 *
 * @example
 * const y = groupNormalization({ groups: 8 }).apply(input({ shape: [16, 16, 16, 32] }));
 */
export function groupNormalization(args?: GroupNormalizationArgs): GroupNormalization {
  return new GroupNormalization(args);
}
