import type { ExampleDefinition, ExampleSettings } from '@rpdl/example-3d-common';
import { myronenko2018, myronenko2018Loss } from '@rpdl/models-3d';
import type { Tensor } from '@tensorflow/tfjs-core';

const full: ExampleSettings = {
  loss: 'rpdl',
  smoke: false,
  size: 16,
  bones: 9,
  surgeons: 7,
  heldOutBone: 0,
  steps: 150,
  stockSteps: 20,
  batchSize: 4,
  learningRate: 0.003,
  // 8 base filters (201k parameters) collapsed to an all-background output at this step count.
  baseFilters: 4,
  depth: 3,
  seed: 1,
  out: 'myronenko2018.png',
  nativeKernels: true,
};

/**
 * The Myronenko18 example: a ResNet-style encoder with group normalisation, a decoder with
 * additive skips, and a VAE branch that reconstructs the input. It has four outputs
 * `[segmentation, reconstruction, zMean, zLogVar]`, so its training loss is
 * L_seg + 0.1·L2 + 0.1·KL with the chosen loss (WCEL, Dice or RPDL) as L_seg, and inference
 * reads output 0.
 */
export const myronenko2018Example: ExampleDefinition = {
  name: 'myronenko2018',
  defaults: {
    full,
    smoke: {
      ...full,
      smoke: true,
      bones: 3,
      surgeons: 3,
      steps: 2,
      stockSteps: 2,
      baseFilters: 4,
      depth: 2,
    },
  },
  build: (settings) => {
    const model = myronenko2018({
      inputShape: [settings.size, settings.size, settings.size, 1],
      baseFilters: settings.baseFilters,
      depth: settings.depth,
      // Group norm splits every level's filters into these groups (base filters must divide).
      groups: Math.min(4, settings.baseFilters),
      vaeLatentDim: 16,
      vaeReducedChannels: 4,
      seed: settings.seed,
    });
    return {
      model,
      trainingLoss: (x, segmentationLoss) => {
        const [segmentation, reconstruction, zMean, zLogVar] = model.apply(x, {
          training: true,
        }) as Tensor[];
        return myronenko2018Loss({
          segmentationLoss: segmentationLoss(segmentation!),
          input: x,
          reconstruction: reconstruction!,
          zMean: zMean!,
          zLogVar: zLogVar!,
        });
      },
      segment: (x) => (model.predict(x) as Tensor[])[0]!,
    };
  },
};
