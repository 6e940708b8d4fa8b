import type { LayersModel } from '@tensorflow/tfjs-layers';
import { isRandomStateLayer, type RandomStateLayer } from '../layers/layer-random.js';

/**
 * The random state of a model: one 32-bit word per random layer (dropout, VAE sampling), in
 * the order of `model.layers` (nested models depth-first). JSON-serialisable.
 */
export type ModelRandomState = number[];

interface HasLayers {
  layers: readonly unknown[];
}

function randomLayers(model: HasLayers): RandomStateLayer[] {
  const found: RandomStateLayer[] = [];
  for (const layer of model.layers) {
    if (isRandomStateLayer(layer)) found.push(layer);
    else if (Array.isArray((layer as Partial<HasLayers>).layers))
      found.push(...randomLayers(layer as HasLayers));
  }
  return found;
}

/**
 * The state of every random layer of a model, for a checkpoint. A model without random layers
 * has the empty state.
 *
 * @example
 * const saved = getRandomState(model);
 * // … train an epoch, crash, rebuild the model …
 * setRandomState(model, saved); // the next dropout masks are the ones the lost run drew
 */
export function getRandomState(model: LayersModel): ModelRandomState {
  return randomLayers(model).map((layer) => layer.randomState());
}

/**
 * Restores a state from {@link getRandomState} into a model of the same architecture.
 *
 * @example
 * setRandomState(model, checkpoint.state.random);
 */
export function setRandomState(model: LayersModel, state: ModelRandomState): void {
  const layers = randomLayers(model);
  if (!Array.isArray(state) || state.length !== layers.length) {
    throw new RangeError(
      `setRandomState: the model ${model.name} has ${layers.length} random layers, the state holds ${Array.isArray(state) ? `${state.length} words` : String(state)}`,
    );
  }
  for (const [i, word] of state.entries()) {
    if (!Number.isInteger(word) || word < 0 || word > 0xffffffff) {
      throw new RangeError(
        `setRandomState: word ${i} must be an unsigned 32-bit integer, got ${String(word)}`,
      );
    }
  }
  for (const [i, layer] of layers.entries()) layer.setRandomState(state[i]!);
}
