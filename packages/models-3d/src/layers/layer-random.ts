import { SeededRandom } from '@rpdl/random';

/**
 * The generator of a random layer (dropout masks, VAE noise). The layers that own one expose its
 * whole state, one 32-bit word, as `randomState()` / `setRandomState(word)`: the contract
 * `@rpdl/training` checkpoints, met structurally. The generator: seeded from `seed`, or, for an unseeded layer, from one
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
