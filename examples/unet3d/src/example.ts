import { type ExampleDefinition, exampleDefaults } from '@rpdl/example-3d-common';
import { buildSegmentationNetwork } from '@rpdl/models-3d';

/**
 * The 3D U-net example: the paper's encoder-decoder with skip connections, sized down so that
 * a short run on a CPU shows it learning. Everything specific to this model is `build`.
 */
export const unet3dExample: ExampleDefinition = {
  name: 'unet3d',
  defaults: exampleDefaults('unet3d'),
  build: (settings) =>
    buildSegmentationNetwork('unet3d', {
      inputShape: [settings.size, settings.size, settings.size, 1],
      baseFilters: settings.baseFilters,
      depth: settings.depth,
      dropout: 0.3,
      seed: settings.seed,
    }),
};
