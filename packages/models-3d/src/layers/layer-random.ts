import { SeededRandom } from '@rpdl/random';

/**
 * A layer that draws random numbers (dropout masks, VAE noise) from its own generator, whose
 * whole state is one 32-bit word: saving it with the weights and restoring it makes a resumed
 * run draw exactly what the uninterrupted run would have drawn.
 */
export interface RandomStateLayer {
  /** The generator's state (an unsigned 32-bit integer). */
  randomState(): number;
  /** Restores a state returned by {@link RandomStateLayer.randomState}. */
  setRandomState(state: number): void;
}

/**
 * Whether a layer keeps a {@link RandomStateLayer} generator.
 *
 * @example
 * model.layers.filter(isRandomStateLayer).length; // how many words a random state holds
 */
export function isRandomStateLayer(layer: unknown): layer is RandomStateLayer {
  return (
    typeof (layer as Partial<RandomStateLayer>).randomState === 'function' &&
    typeof (layer as Partial<RandomStateLayer>).setRandomState === 'function'
  );
}

/**
 * The generator of a random layer: seeded from `seed`, or, for an unseeded layer, from one
 * `Math.random()` draw at construction (the layer still never touches `Math.random` again, so
 * its state can be checkpointed either way).
 *
 * @example
 * const random = layerRandom(7, 'SpatialDropout3D');
 * random.nextUint32(); // the seed of the first mask
 */
export function layerRandom(seed: number | undefined, layerName: string): SeededRandom {
  if (seed !== undefined && !Number.isInteger(seed)) {
    throw new RangeError(`${layerName} seed must be an integer, got ${String(seed)}`);
  }
  return new SeededRandom(seed ?? Math.floor(Math.random() * 0x100000000));
}
