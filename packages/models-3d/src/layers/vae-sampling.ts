import type { SeededRandom } from '@rpdl/random';
import {
  add,
  exp,
  mul,
  randomNormal,
  type serialization,
  type Tensor,
  tidy,
} from '@tensorflow/tfjs-core';
import { layers, type Shape } from '@tensorflow/tfjs-layers';
import { namespacedClassName, withDefaultName } from './class-name.js';
import { layerRandom } from './layer-random.js';
import { type CallKwargs, isTraining, type LayerArgs } from './layer-types.js';

/** Options of {@link VaeSampling}. */
export interface VaeSamplingArgs extends LayerArgs {
  /**
   * Seed of the layer's generator, which seeds the noise of every training call; omitted means
   * one `Math.random()` draw at construction.
   */
  seed?: number;
}

/**
 * The VAE reparameterisation `z = μ + exp(½·log σ²)·ε`, ε ~ N(0, I), from inputs
 * `[zMean, zLogVar]` (both `[batch, latent]`). During training it samples; at inference it
 * returns μ, the posterior mean, so predictions are deterministic. The noise comes from the
 * layer's own generator, whose state `randomState()` exposes for checkpoints.
 */
export class VaeSampling extends layers.Layer {
  static className = namespacedClassName('VaeSampling');
  readonly seed: number | undefined;
  private readonly random: SeededRandom;

  constructor(args: VaeSamplingArgs = {}) {
    super(withDefaultName(args, 'VaeSampling'));
    this.random = layerRandom(args.seed, VaeSampling.className);
    this.seed = args.seed;
  }

  randomState(): number {
    return this.random.state();
  }

  setRandomState(state: number): void {
    this.random.setState(state);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    if (!Array.isArray(inputShape[0])) {
      throw new Error('VaeSampling expects two inputs: [zMean, zLogVar]');
    }
    const [mean, logVar] = this.pair(inputShape as Shape[]);
    if (mean.length !== 2 || logVar.length !== 2 || mean[1] !== logVar[1]) {
      throw new Error(
        `VaeSampling expects zMean and zLogVar of equal shape [batch, latent], got [${mean.join(', ')}] and [${logVar.join(', ')}]`,
      );
    }
    return mean;
  }

  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    return tidy(() => {
      const [mean, logVar] = this.pair(inputs);
      if (!isTraining(kwargs)) return mean;
      const epsilon = randomNormal(mean.shape, 0, 1, 'float32', this.random.nextUint32());
      return add(mean, mul(exp(mul(logVar, 0.5)), epsilon));
    });
  }

  override getConfig(): serialization.ConfigDict {
    const config = super.getConfig();
    return this.seed === undefined ? config : { ...config, seed: this.seed };
  }

  private pair<T>(inputs: T | T[]): [T, T] {
    if (!Array.isArray(inputs) || inputs.length !== 2) {
      throw new Error('VaeSampling expects two inputs: [zMean, zLogVar]');
    }
    return [inputs[0] as T, inputs[1] as T];
  }
}

/**
 * Creates a {@link VaeSampling} layer.
 *
 * @example
 * const z = vaeSampling({ seed: 1 }).apply([zMean, zLogVar]) as SymbolicTensor;
 */
export function vaeSampling(args?: VaeSamplingArgs): VaeSampling {
  return new VaeSampling(args);
}
