import { type ExampleDefinition, exampleDefaults } from '@rpdl/example-3d-common';
import { buildSegmentationNetwork } from '@rpdl/models-3d';

/**
 * The Isensee17 example: residual encoder levels and deep supervision, the segmentation heads of
 * the three finest decoder levels summed from the coarsest up; sized down so
 * that a short run on a CPU shows it learning. Everything specific to this model is `build`.
 */
export const isensee2017Example: ExampleDefinition = {
  name: 'isensee2017',
  defaults: exampleDefaults('isensee2017', {
    // Depth 3 in the smoke run too: with two levels there is only one decoder level and so one
    // head, and deep supervision (the point of this model) would not be exercised.
    smoke: { depth: 3 },
  }),
  build: (settings) =>
    buildSegmentationNetwork('isensee2017', {
      inputShape: [settings.size, settings.size, settings.size, 1],
      baseFilters: settings.baseFilters,
      depth: settings.depth,
      dropout: 0.3,
      seed: settings.seed,
    }),
};
