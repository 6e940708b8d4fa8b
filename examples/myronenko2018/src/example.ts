import { type ExampleDefinition, exampleDefaults } from '@rpdl/example-3d-common';
import { buildSegmentationNetwork } from '@rpdl/models-3d';

/**
 * The Myronenko18 example: a ResNet-style encoder with group normalisation, a decoder with
 * additive skips, and a VAE branch that reconstructs the input. It has four outputs
 * `[segmentation, reconstruction, zMean, zLogVar]`, so its training loss is
 * L_seg + 0.1·L2 + 0.1·KL with the chosen loss (WCEL, Dice or RPDL) as L_seg, and inference
 * reads output 0: `buildSegmentationNetwork` returns the model with that contract, so the
 * trainer never names the model.
 */
export const myronenko2018Example: ExampleDefinition = {
  name: 'myronenko2018',
  defaults: exampleDefaults('myronenko2018', {
    // The shared 4 base filters stay: 8 (201k parameters) collapsed to an all-background
    // output at this step count.
    full: { steps: 150, stockSteps: 20 },
  }),
  build: (settings) =>
    buildSegmentationNetwork('myronenko2018', {
      inputShape: [settings.size, settings.size, settings.size, 1],
      baseFilters: settings.baseFilters,
      depth: settings.depth,
      // Group norm splits every level's filters into these groups (base filters must divide).
      groups: Math.min(4, settings.baseFilters),
      vaeLatentDim: 16,
      vaeReducedChannels: 4,
      seed: settings.seed,
    }),
};
