import {
  add,
  batchNorm,
  concat,
  type DataType,
  maximum,
  mean,
  reshape,
  type serialization,
  split,
  square,
  sub,
  type Tensor,
  type Tensor1D,
  type Tensor3D,
  type Tensor4D,
  tidy,
  tile,
  unstack,
} from '@tensorflow/tfjs-core';
import { initializers, type LayerVariable, layers, type Shape } from '@tensorflow/tfjs-layers';
import { channelMoments } from './channel-moments.js';
import { fusedChannelNorm, fusedChannelNormAvailable } from './channel-norm-kernel.js';
import { namespacedClassName, withDefaultName } from './class-name.js';
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
  static className = namespacedClassName('GroupNormalization');
  readonly groups: number;
  readonly epsilon: number;
  private gamma: LayerVariable | null = null;
  private beta: LayerVariable | null = null;

  constructor(args: GroupNormalizationArgs = {}) {
    super(withDefaultName(args, 'GroupNormalization'));
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
      const perGroup = channels / this.groups;
      const voxels = x.size / (batch * channels);
      const samples = reshape(x, [batch, voxels, channels]);
      if (fusedChannelNormAvailable()) {
        // The backend's fused kernel: one block per sample, `groups` groups of channels.
        const fused = fusedChannelNorm(
          samples as Tensor3D,
          this.gamma.read() as Tensor1D,
          this.beta.read() as Tensor1D,
          { groups: this.groups, epsilon: this.epsilon },
        );
        return reshape(fused.y, x.shape);
      }
      const perChannel = channelMoments(samples);
      // Group statistics from channel statistics: mean of means, and E[x²] − E[x]² again.
      const groupMean = mean(reshape(perChannel.mean, [batch, this.groups, perGroup]), 2, true);
      const channelSquare = add(perChannel.variance, square(perChannel.mean));
      const groupSquare = mean(reshape(channelSquare, [batch, this.groups, perGroup]), 2, true);
      const groupVariance = maximum(sub(groupSquare, square(groupMean)), 0);
      const expand = (t: Tensor) => reshape(tile(t, [1, 1, perGroup]), [batch, channels]);
      // split/unstack into one piece has a broken gradient in tfjs 4.22, hence batch 1 apart.
      const rows = (t: Tensor) => (batch === 1 ? [reshape(t, [channels])] : unstack(t));
      const means = rows(expand(groupMean));
      const variances = rows(expand(groupVariance));
      const gamma = this.gamma.read();
      const beta = this.beta.read();
      // Per sample, group norm is a batch norm with that sample's statistics expanded to its
      // channels; tf.batchNorm applies it in one pass (its gradient needs rank ≤ 4).
      const pieces = batch === 1 ? [samples] : split(samples, batch, 0);
      const parts = pieces.map((sample, i) =>
        batchNorm(
          reshape(sample, [1, voxels, 1, channels]) as Tensor4D,
          means[i] as Tensor,
          variances[i] as Tensor,
          beta,
          gamma,
          this.epsilon,
        ),
      );
      return reshape(parts.length === 1 ? (parts[0] as Tensor) : concat(parts, 0), x.shape);
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
