import { initializers, layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { spatialDropout3d } from '../layers/spatial-dropout-3d.js';

/**
 * Hands out distinct seeds from one model seed, so that every layer of a seeded model gets
 * its own reproducible initialiser (one shared seed would give equal-shaped kernels equal
 * values). Unseeded models get `undefined` throughout.
 */
export class SeedSequence {
  private next: number | undefined;

  constructor(seed: number | undefined) {
    this.next = seed;
  }

  /**
   * The next seed, or `undefined` for an unseeded model.
   *
   * @example
   * const seeds = new SeedSequence(7);
   * seeds.take(); // 7
   * seeds.take(); // 8
   */
  take(): number | undefined {
    if (this.next === undefined) return undefined;
    const seed = this.next;
    this.next += 1;
    return seed;
  }
}

/**
 * Applies a layer to symbolic input(s) in a graph being built (one output).
 *
 * @example
 * const y = apply(layers.add(), [a, b]);
 */
export function apply(layer: layers.Layer, x: SymbolicTensor | SymbolicTensor[]): SymbolicTensor {
  return layer.apply(x) as SymbolicTensor;
}

/**
 * The layers every network of this package adds the same way, each seeded with the next seed of
 * the model's {@link SeedSequence}: 'same'-padded Glorot-uniform 3D convolutions and spatial
 * dropout.
 */
export class SeededBuilder {
  protected readonly seeds: SeedSequence;

  constructor(seed: number | undefined) {
    this.seeds = new SeedSequence(seed);
  }

  /** A Glorot-uniform initialiser with the next seed. */
  protected initializer() {
    const seed = this.seeds.take();
    return initializers.glorotUniform(seed === undefined ? {} : { seed });
  }

  /** Conv3D, 'same' padding. */
  conv(x: SymbolicTensor, filters: number, kernelSize: number, strides = 1): SymbolicTensor {
    return apply(
      layers.conv3d({
        filters,
        kernelSize,
        strides,
        padding: 'same',
        kernelInitializer: this.initializer(),
      }),
      x,
    );
  }

  /** SpatialDropout3D at `rate`; nothing at rate 0. */
  dropout(x: SymbolicTensor, rate: number): SymbolicTensor {
    if (rate === 0) return x;
    const seed = this.seeds.take();
    return apply(spatialDropout3d(seed === undefined ? { rate } : { rate, seed }), x);
  }
}
