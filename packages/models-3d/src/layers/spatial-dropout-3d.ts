import {
  cast,
  less,
  mul,
  randomUniform,
  type serialization,
  type Tensor,
  tidy,
} from '@tensorflow/tfjs-core';
import { layers, type Shape } from '@tensorflow/tfjs-layers';
import {
  type CallKwargs,
  channelsOfRank5,
  isTraining,
  type LayerArgs,
  singleInput,
} from './layer-types.js';

/** Options of {@link SpatialDropout3D}. */
export interface SpatialDropout3DArgs extends LayerArgs {
  /** Probability of dropping a whole channel of a sample, in [0, 1). */
  rate: number;
  /** Seed of the first mask; later calls use seed + 1, seed + 2, … (reproducible runs). */
  seed?: number;
}

/**
 * Drops entire feature maps (Keras `SpatialDropout3D`, channels last): during training, one
 * Bernoulli draw per sample and channel keeps a channel with probability `1 − rate` and scales
 * it by `1/(1 − rate)`; at inference it is the identity.
 */
export class SpatialDropout3D extends layers.Layer {
  static className = 'SpatialDropout3D';
  readonly rate: number;
  readonly seed: number | undefined;
  private calls = 0;

  constructor(args: SpatialDropout3DArgs) {
    super(args);
    if (!(typeof args.rate === 'number' && args.rate >= 0 && args.rate < 1)) {
      throw new RangeError(`SpatialDropout3D rate must be in [0, 1), got ${String(args.rate)}`);
    }
    if (args.seed !== undefined && !Number.isInteger(args.seed)) {
      throw new RangeError(`SpatialDropout3D seed must be an integer, got ${String(args.seed)}`);
    }
    this.rate = args.rate;
    this.seed = args.seed;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    return tidy(() => {
      const x = singleInput(inputs, SpatialDropout3D.className);
      const channels = channelsOfRank5(x.shape, SpatialDropout3D.className);
      if (!isTraining(kwargs) || this.rate === 0) return x;
      const keep = 1 - this.rate;
      const seed = this.seed === undefined ? undefined : this.seed + this.calls;
      this.calls += 1;
      const draw = randomUniform([x.shape[0] as number, 1, 1, 1, channels], 0, 1, 'float32', seed);
      const mask = mul(cast(less(draw, keep), 'float32'), 1 / keep);
      return mul(x, mask);
    });
  }

  override getConfig(): serialization.ConfigDict {
    const config: serialization.ConfigDict = { ...super.getConfig(), rate: this.rate };
    if (this.seed !== undefined) config.seed = this.seed;
    return config;
  }
}

/**
 * Creates a {@link SpatialDropout3D} layer.
 *
 * @example
 * const y = spatialDropout3d({ rate: 0.3 }).apply(input({ shape: [16, 16, 16, 8] }));
 */
export function spatialDropout3d(args: SpatialDropout3DArgs): SpatialDropout3D {
  return new SpatialDropout3D(args);
}
