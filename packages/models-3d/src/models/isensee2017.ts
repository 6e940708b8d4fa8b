import { type LayersModel, model } from '@tensorflow/tfjs-layers';
import type { UnetFamilyOptions } from './options.js';
import { buildUnetFamily, resolveUnetFamilyOptions } from './unet-family.js';

/**
 * Isensee et al. 2017 (BraTS 2017) as the paper's authors ran it: residual levels as in
 * {@link vnet3d}, plus deep-supervision fusion: 1×1×1 heads on decoder levels 2, 1 and 0 are
 * summed from the coarsest up, up-sampling by 2 before each addition, then activated. With
 * depth < 4 the decoder has fewer levels and the heads are those of levels 0 … depth − 2.
 *
 * @example
 * const net = isensee2017({ inputShape: [16, 16, 16, 1], depth: 3 });
 * net.outputs[0]?.shape; // [null, 16, 16, 16, 1]
 */
export function isensee2017(options: UnetFamilyOptions = {}): LayersModel {
  const resolved = resolveUnetFamilyOptions('isensee2017', options);
  const { input, output } = buildUnetFamily(resolved, {
    residualLevels: true,
    deepSupervision: true,
  });
  return model({ inputs: input, outputs: output, name: 'isensee2017' });
}
