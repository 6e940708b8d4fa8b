import {
  type ExampleDefinition,
  type ExampleSettings,
  singleOutputNetwork,
} from '@rpdl/example-3d-common';
import { isensee2017 } from '@rpdl/models-3d';

const full: ExampleSettings = {
  loss: 'rpdl',
  smoke: false,
  size: 16,
  bones: 9,
  surgeons: 7,
  heldOutBone: 0,
  steps: 300,
  stockSteps: 40,
  batchSize: 4,
  learningRate: 0.003,
  baseFilters: 4,
  depth: 3,
  seed: 1,
  out: 'isensee2017.png',
  nativeKernels: true,
};

/**
 * The Isensee17 example: residual encoder levels and deep supervision, the segmentation heads of
 * the three finest decoder levels summed from the coarsest up; sized down so
 * that a short run on a CPU shows it learning. Everything specific to this model is `build`.
 */
export const isensee2017Example: ExampleDefinition = {
  name: 'isensee2017',
  defaults: {
    full,
    smoke: {
      ...full,
      smoke: true,
      size: 16,
      bones: 3,
      surgeons: 3,
      steps: 2,
      stockSteps: 2,
      // Depth 3, not 2: with two levels there is only one decoder level and so one head,
      // and deep supervision (the point of this model) would not be exercised.
      depth: 3,
    },
  },
  build: (settings) =>
    singleOutputNetwork(
      isensee2017({
        inputShape: [settings.size, settings.size, settings.size, 1],
        baseFilters: settings.baseFilters,
        depth: settings.depth,
        dropout: 0.3,
        seed: settings.seed,
      }),
    ),
};
