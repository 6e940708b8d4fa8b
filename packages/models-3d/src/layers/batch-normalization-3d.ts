import {
  add,
  batchNorm,
  type DataType,
  mul,
  reshape,
  type serialization,
  type Tensor,
  type Tensor1D,
  type Tensor3D,
  type Tensor4D,
  tidy,
} from '@tensorflow/tfjs-core';
import { initializers, type LayerVariable, layers, type Shape } from '@tensorflow/tfjs-layers';
import { channelMoments } from './channel-moments.js';
import { fusedChannelNorm, fusedChannelNormAvailable } from './channel-norm-kernel.js';
import { namespacedClassName, withDefaultName } from './class-name.js';
import {
  type CallKwargs,
  channelsOfRank5,
  isTraining,
  type LayerArgs,
  singleInput,
  singleShape,
} from './layer-types.js';

/** Options of {@link BatchNormalization3D}; defaults are Keras' `BatchNormalization` defaults. */
export interface BatchNormalization3DArgs extends LayerArgs {
  /** Weight of the old value in the moving averages, in [0, 1). Default 0.99. */
  momentum?: number;
  /** Added to the variance before the square root, > 0. Default 1e-3. */
  epsilon?: number;
}

/**
 * Batch normalisation over the channel (last) axis of rank-5 `[batch, D, H, W, C]` input,
 * which tfjs-layers 4.22's `BatchNormalization` rejects.
 *
 * Training: `y = γ·(x − μ_B)/√(σ²_B + ε) + β` with the batch moments over batch and space,
 * and `m ← momentum·m + (1 − momentum)·μ_B` (likewise the variance; biased batch variance).
 * Inference: the moving mean and variance replace the batch moments. Weights are γ, β
 * (trainable) and the moving mean and variance (non-trainable), so `countParams()` counts
 * `4·C` like Keras.
 */
export class BatchNormalization3D extends layers.Layer {
  static className = namespacedClassName('BatchNormalization3D');
  readonly momentum: number;
  readonly epsilon: number;
  private gamma: LayerVariable | null = null;
  private beta: LayerVariable | null = null;
  private movingMean: LayerVariable | null = null;
  private movingVariance: LayerVariable | null = null;

  constructor(args: BatchNormalization3DArgs = {}) {
    super(withDefaultName(args, 'BatchNormalization3D'));
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
    if (!(this.momentum >= 0 && this.momentum < 1)) {
      throw new RangeError(
        `BatchNormalization3D momentum must be in [0, 1), got ${String(args.momentum)}`,
      );
    }
    if (!(this.epsilon > 0)) {
      throw new RangeError(`BatchNormalization3D epsilon must be > 0, got ${String(args.epsilon)}`);
    }
    this.supportsMasking = true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(inputShape, BatchNormalization3D.className);
    const channels = channelsOfRank5(shape, BatchNormalization3D.className);
    const dtype: DataType = 'float32';
    this.gamma = this.addWeight('gamma', [channels], dtype, initializers.ones(), undefined, true);
    this.beta = this.addWeight('beta', [channels], dtype, initializers.zeros(), undefined, true);
    this.movingMean = this.addWeight(
      'moving_mean',
      [channels],
      dtype,
      initializers.zeros(),
      undefined,
      false,
    );
    this.movingVariance = this.addWeight(
      'moving_variance',
      [channels],
      dtype,
      initializers.ones(),
      undefined,
      false,
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    return tidy(() => {
      const x = singleInput(inputs, BatchNormalization3D.className);
      channelsOfRank5(x.shape, BatchNormalization3D.className);
      const { gamma, beta, movingMean, movingVariance } = this.weightsOrThrow();
      const channels = x.shape[4] as number;
      const keep = this.momentum;
      const updateMoving = (mean: Tensor, variance: Tensor) => {
        movingMean.write(add(mul(movingMean.read(), keep), mul(mean, 1 - keep)));
        movingVariance.write(add(mul(movingVariance.read(), keep), mul(variance, 1 - keep)));
      };
      if (isTraining(kwargs) && fusedChannelNormAvailable()) {
        // One fused kernel of the backend computes the batch moments and normalises, and its
        // gradient is one more: batch and space form one block, each channel its own group.
        const fused = fusedChannelNorm(
          reshape(x, [1, -1, channels]) as Tensor3D,
          gamma.read() as Tensor1D,
          beta.read() as Tensor1D,
          { groups: channels, epsilon: this.epsilon },
        );
        updateMoving(reshape(fused.mean, [channels]), reshape(fused.variance, [channels]));
        return reshape(fused.y, x.shape);
      }
      let mean: Tensor;
      let variance: Tensor;
      if (isTraining(kwargs)) {
        const batch = channelMoments(reshape(x, [1, -1, channels]));
        mean = reshape(batch.mean, [channels]);
        variance = reshape(batch.variance, [channels]);
        updateMoving(mean, variance);
      } else {
        mean = movingMean.read();
        variance = movingVariance.read();
      }
      // tf.batchNorm's kernel is one tight pass over the volume; its gradient is implemented
      // up to rank 4, hence the merge of the batch and depth axes.
      const [b, d, h, w] = x.shape as [number, number, number, number, number];
      const flat = reshape(x, [b * d, h, w, channels]) as Tensor4D;
      const y = batchNorm(flat, mean, variance, beta.read(), gamma.read(), this.epsilon);
      return reshape(y, x.shape);
    });
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), momentum: this.momentum, epsilon: this.epsilon };
  }

  private weightsOrThrow() {
    const { gamma, beta, movingMean, movingVariance } = this;
    if (gamma == null || beta == null || movingMean == null || movingVariance == null) {
      throw new Error('BatchNormalization3D was called before it was built');
    }
    return { gamma, beta, movingMean, movingVariance };
  }
}

/**
 * Creates a {@link BatchNormalization3D} layer.
 *
 * @example
 * const y = batchNormalization3d().apply(input({ shape: [16, 16, 16, 4] }));
 */
export function batchNormalization3d(args?: BatchNormalization3DArgs): BatchNormalization3D {
  return new BatchNormalization3D(args);
}
