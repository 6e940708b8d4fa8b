import type { SeededRandom } from '@rpdl/random';
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
import { namespacedClassName, withDefaultName } from './class-name.js';
import { layerRandom } from './layer-random.js';
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
  /**
   * Seed of the layer's generator, which draws the seed of every mask (reproducible runs);
   * omitted means one `Math.random()` draw at construction.
   */
  seed?: number;
}

/**
 * Drops entire feature maps (Keras `SpatialDropout3D`, channels last): during training, one
 * Bernoulli draw per sample and channel keeps a channel with probability `1 − rate` and scales
 * it by `1/(1 − rate)`; at inference it is the identity. Each training call seeds its mask
 * from the layer's own generator, whose state `randomState()` exposes for checkpoints.
 */
export class SpatialDropout3D extends layers.Layer {
  static className = namespacedClassName('SpatialDropout3D');
  readonly rate: number;
  readonly seed: number | undefined;
  private readonly random: SeededRandom;

  constructor(args: SpatialDropout3DArgs) {
    super(withDefaultName(args, 'SpatialDropout3D'));
    if (!(typeof args.rate === 'number' && args.rate >= 0 && args.rate < 1)) {
      throw new RangeError(`SpatialDropout3D rate must be in [0, 1), got ${String(args.rate)}`);
    }
    this.random = layerRandom(args.seed, SpatialDropout3D.className);
    this.rate = args.rate;
    this.seed = args.seed;
  }

  randomState(): number {
    return this.random.state();
  }

  setRandomState(state: number): void {
    this.random.setState(state);
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
      const draw = randomUniform(
        [x.shape[0] as number, 1, 1, 1, channels],
        0,
        1,
        'float32',
        this.random.nextUint32(),
      );
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
