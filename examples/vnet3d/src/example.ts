import { type ExampleDefinition, exampleDefaults } from '@rpdl/example-3d-common';
import { buildSegmentationNetwork } from '@rpdl/models-3d';

/**
 * The 3D V-net example as the paper's authors built it: the U-net layout with residual encoder
 * levels (the sum of a level's first block and its context module). Not Milletari's V-net; sized down so
 * that a short run on a CPU shows it learning. Everything specific to this model is `build`.
 */
export const vnet3dExample: ExampleDefinition = {
  name: 'vnet3d',
  defaults: exampleDefaults('vnet3d'),
  build: (settings) =>
    buildSegmentationNetwork('vnet3d', {
      inputShape: [settings.size, settings.size, settings.size, 1],
      baseFilters: settings.baseFilters,
      depth: settings.depth,
      dropout: 0.3,
      seed: settings.seed,
    }),
};
