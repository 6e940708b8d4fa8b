import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/**
 * What the examples need from a model: how to turn a batch into the loss to minimise, and how to
 * get segmentation probabilities out of it. Single-output networks (U-net, V-net, Isensee17)
 * use {@link singleOutputNetwork}; Myronenko18 adds its VAE terms in its own `trainingLoss`.
 */
export interface SegmentationNetwork {
  readonly model: LayersModel;
  /**
   * The scalar to minimise for input batch `x`. `segmentationLoss` scores a probability volume
   * `[batch, D, H, W, 1]` against the batch's targets (WCEL, Dice loss or RPDL).
   */
  trainingLoss(x: Tensor, segmentationLoss: (probabilities: Tensor) => Scalar): Scalar;
  /** Segmentation probabilities `[batch, D, H, W, 1]` in inference mode. */
  segment(x: Tensor): Tensor;
}

/**
 * Wraps a model with one output, the segmentation probabilities.
 *
 * @example
 * const network = singleOutputNetwork(unet3d({ inputShape: [16, 16, 16, 1], depth: 3 }));
 */
export function singleOutputNetwork(model: LayersModel): SegmentationNetwork {
  if (model.outputs.length !== 1) {
    throw new RangeError(
      `singleOutputNetwork: the model has ${model.outputs.length} outputs; expected exactly 1`,
    );
  }
  return {
    model,
    trainingLoss: (x, segmentationLoss) =>
      segmentationLoss(model.apply(x, { training: true }) as Tensor),
    segment: (x) => model.predict(x) as Tensor,
  };
}
