/**
 * The contract between the trainer and a model's random layers (dropout masks, VAE noise): a
 * layer that draws from its own generator, whose whole state is one 32-bit word. Any layer with
 * these two methods takes part (structurally: `@rpdl/models-3d`'s `SpatialDropout3D` and
 * `VaeSampling` do, without knowing this package); saving the words with a checkpoint and
 * restoring them makes a resumed run draw exactly what the uninterrupted run would have drawn.
 */
export interface RandomStateLayer {
  /** The generator's state (an unsigned 32-bit integer). */
  randomState(): number;
  /** Restores a state returned by {@link RandomStateLayer.randomState}. */
  setRandomState(state: number): void;
}

/**
 * The random state of a model: one 32-bit word per random layer, in the order of `model.layers`
 * (nested models depth-first). JSON-serialisable.
 */
export type ModelRandomState = number[];

/** What the walk needs of a model (a tfjs `LayersModel` or `Sequential` is one). */
export interface LayeredModel {
  readonly name: string;
  readonly layers: readonly unknown[];
}

/**
 * Whether a layer keeps a {@link RandomStateLayer} generator.
 *
 * @example
 * model.layers.filter(isRandomStateLayer).length; // how many words a random state holds
 */
export function isRandomStateLayer(layer: unknown): layer is RandomStateLayer {
  return (
    typeof layer === 'object' &&
    layer !== null &&
    typeof (layer as Partial<RandomStateLayer>).randomState === 'function' &&
    typeof (layer as Partial<RandomStateLayer>).setRandomState === 'function'
  );
}

/** A nested model (a layer that has layers of its own). */
function isLayered(layer: unknown): layer is Pick<LayeredModel, 'layers'> {
  return (
    typeof layer === 'object' &&
    layer !== null &&
    Array.isArray((layer as Partial<LayeredModel>).layers)
  );
}

function randomLayers(model: Pick<LayeredModel, 'layers'>): RandomStateLayer[] {
  const found: RandomStateLayer[] = [];
  for (const layer of model.layers) {
    if (isRandomStateLayer(layer)) found.push(layer);
    else if (isLayered(layer)) found.push(...randomLayers(layer));
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
export function getRandomState(model: LayeredModel): ModelRandomState {
  return randomLayers(model).map((layer) => layer.randomState());
}

/**
 * Restores a state from {@link getRandomState} into a model of the same architecture.
 *
 * @throws RangeError when the state's length is not the model's number of random layers, or a
 * word is not an unsigned 32-bit integer.
 * @example
 * setRandomState(model, checkpoint.state.random);
 */
export function setRandomState(model: LayeredModel, state: ModelRandomState): void {
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
