import { layers, type Sequential, sequential } from '@tensorflow/tfjs-layers';

/**
 * The smallest segmentation model for training tests on 6×6 one-channel images: a 1×1
 * convolution with a sigmoid, starting from zero weights (P = 0.5 everywhere), so what it learns
 * comes from the loss alone.
 */
export function pixelModel(): Sequential {
  return sequential({
    layers: [
      layers.conv2d({
        inputShape: [6, 6, 1],
        filters: 1,
        kernelSize: 1,
        activation: 'sigmoid',
        kernelInitializer: 'zeros',
      }),
    ],
  });
}
