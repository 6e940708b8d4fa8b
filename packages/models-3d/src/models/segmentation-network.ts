import { dispose, type Scalar, type Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { buildModel, type OptionsFor } from './build-model.js';
import { myronenko2018Loss } from './myronenko2018-loss.js';
import type { ModelName } from './options.js';

/** Scores segmentation probabilities `[batch, D, H, W, labels]` against a batch's targets. */
export type SegmentationLoss = (probabilities: Tensor) => Scalar;

/**
 * A model with what a trainer needs to know about its outputs, so that no caller names the
 * model: where the segmentation is, and what to minimise (the segmentation loss for U-net,
 * V-net and Isensee17; plus the VAE's reconstruction and KL terms for Myronenko18).
 */
export interface SegmentationNetwork {
  readonly name: ModelName;
  readonly model: LayersModel;
  /** The segmentation probabilities among the outputs of `model.apply` / `model.predict`. */
  segmentation(outputs: Tensor | readonly Tensor[]): Tensor;
  /**
   * The scalar to minimise, from the training-mode outputs for `input`; `segmentationLoss`
   * scores the segmentation output.
   */
  trainingLoss(
    outputs: Tensor | readonly Tensor[],
    input: Tensor,
    segmentationLoss: SegmentationLoss,
  ): Scalar;
  /** Segmentation probabilities for `input` in inference mode. */
  segment(input: Tensor): Tensor;
}

/** Where every model built here puts its segmentation among its outputs. */
const SEGMENTATION_OUTPUT = 0;

function outputList(name: string, outputs: Tensor | readonly Tensor[], expected: number) {
  const list = Array.isArray(outputs) ? outputs : [outputs as Tensor];
  if (list.length !== expected) {
    throw new RangeError(
      `${name}: expected the model's ${expected} output${expected === 1 ? '' : 's'}, got ${list.length}`,
    );
  }
  return list as readonly Tensor[];
}

/**
 * Segmentation probabilities for `input` in inference mode from any model these builders make,
 * also one loaded back from a saved `model.json`: the segmentation is always the first output;
 * the others (Myronenko18's VAE) are freed.
 *
 * @example
 * const model = await tf.loadLayersModel(handler); // after import '@rpdl/models-3d/register'
 * const probabilities = segmentWith(model, x);
 */
export function segmentWith(model: LayersModel, input: Tensor): Tensor {
  const out = model.predict(input) as Tensor | Tensor[];
  if (!Array.isArray(out)) return out;
  dispose(out.filter((_, i) => i !== SEGMENTATION_OUTPUT));
  return out[SEGMENTATION_OUTPUT]!;
}

/**
 * Builds a model by name (see `buildModel`) together with its output contract.
 *
 * @example
 * const network = buildSegmentationNetwork('myronenko2018', { inputShape: [16, 16, 16, 1], baseFilters: 8 });
 * const loss = network.trainingLoss(network.model.apply(x, { training: true }) as Tensor[], x,
 *   (p) => diceLoss(y, p));
 * const probabilities = network.segment(x);
 */
export function buildSegmentationNetwork<N extends ModelName>(
  name: N,
  options: OptionsFor<N> = {},
): SegmentationNetwork {
  const model = buildModel(name, options);
  const outputs = model.outputs.length;
  const segmentation = (out: Tensor | readonly Tensor[]) =>
    outputList(name, out, outputs)[SEGMENTATION_OUTPUT]!;
  const trainingLoss =
    name === 'myronenko2018'
      ? (out: Tensor | readonly Tensor[], input: Tensor, segmentationLoss: SegmentationLoss) => {
          const [seg, reconstruction, zMean, zLogVar] = outputList(name, out, outputs);
          return myronenko2018Loss({
            segmentationLoss: segmentationLoss(seg!),
            input,
            reconstruction: reconstruction!,
            zMean: zMean!,
            zLogVar: zLogVar!,
          });
        }
      : (out: Tensor | readonly Tensor[], _input: Tensor, segmentationLoss: SegmentationLoss) =>
          segmentationLoss(segmentation(out));
  return {
    name,
    model,
    segmentation,
    trainingLoss,
    segment: (input) => segmentWith(model, input),
  };
}
