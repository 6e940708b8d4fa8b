import { initializers, type LayersModel, layers, sequential } from '@tensorflow/tfjs-layers';

/**
 * A deliberately tiny fully convolutional segmenter: two 3×3 convolutions and a 1×1 sigmoid
 * head. Any tfjs model whose output is a per-pixel probability works the same way with RPDL.
 *
 * @example
 * const model = tinySegmenter(32, 7);
 * model.outputs[0].shape; // [null, 32, 32, 1]
 */
export function tinySegmenter(size: number, seed: number): LayersModel {
  const kernelInitializer = (offset: number) => initializers.glorotUniform({ seed: seed + offset });
  return sequential({
    layers: [
      layers.conv2d({
        inputShape: [size, size, 1],
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: kernelInitializer(0),
      }),
      layers.conv2d({
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: kernelInitializer(1),
      }),
      layers.conv2d({
        filters: 1,
        kernelSize: 1,
        activation: 'sigmoid',
        kernelInitializer: kernelInitializer(2),
      }),
    ],
  });
}
