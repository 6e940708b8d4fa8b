import type { layers, Shape } from '@tensorflow/tfjs-layers';

/** Constructor arguments every tfjs-layers `Layer` accepts (name, trainable, inputShape, …). */
export type LayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;

/** The keyword arguments tfjs-layers passes to `Layer.call` (notably `training`). */
export type CallKwargs = Parameters<layers.Layer['call']>[1];

/** True when the layer is being called by `fit` or with `{ training: true }`. */
export function isTraining(kwargs: CallKwargs | undefined): boolean {
  return kwargs?.training === true;
}

/**
 * The single tensor a one-input layer receives: tfjs-layers passes either a tensor or a
 * one-element array.
 */
export function singleInput<T>(inputs: T | T[], layerName: string): T {
  if (!Array.isArray(inputs)) return inputs;
  if (inputs.length !== 1) {
    throw new Error(`${layerName} expects exactly one input tensor, got ${inputs.length}`);
  }
  return inputs[0] as T;
}

/** Validates a channels-last rank-5 shape `[batch, D, H, W, C]` and returns its channel count. */
export function channelsOfRank5(shape: readonly (number | null)[], layerName: string): number {
  if (shape.length !== 5) {
    throw new Error(
      `${layerName} expects rank-5 input [batch, depth, height, width, channels], got shape [${shape.join(', ')}]`,
    );
  }
  const channels = shape[4];
  if (channels == null || channels < 1) {
    throw new Error(`${layerName} needs a known channel count (last axis), got ${channels}`);
  }
  return channels;
}

/** The one shape a one-input layer is built with (tfjs-layers may wrap it in a list). */
export function singleShape(inputShape: Shape | Shape[], layerName: string): Shape {
  if (!Array.isArray(inputShape[0])) return inputShape as Shape;
  if (inputShape.length !== 1) {
    throw new Error(`${layerName} expects exactly one input, got ${inputShape.length}`);
  }
  return inputShape[0] as Shape;
}
