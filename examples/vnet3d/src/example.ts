import {
  type ExampleDefinition,
  type ExampleSettings,
  singleOutputNetwork,
} from '@rpdl/example-3d-common';
import { vnet3d } from '@rpdl/models-3d';

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
  out: 'vnet3d.png',
  nativeKernels: true,
};

/**
 * The 3D V-net example as the paper's authors built it: the U-net layout with residual encoder
 * levels (the sum of a level's first block and its context module). Not Milletari's V-net; sized down so
 * that a short run on a CPU shows it learning. Everything specific to this model is `build`.
 */
export const vnet3dExample: ExampleDefinition = {
  name: 'vnet3d',
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
      depth: 2,
    },
  },
  build: (settings) =>
    singleOutputNetwork(
      vnet3d({
        inputShape: [settings.size, settings.size, settings.size, 1],
        baseFilters: settings.baseFilters,
        depth: settings.depth,
        dropout: 0.3,
        seed: settings.seed,
      }),
    ),
};
