import { type LayersModel, model } from '@tensorflow/tfjs-layers';
import type { UnetFamilyOptions } from './options.js';
import { buildUnetFamily, resolveUnetFamilyOptions } from './unet-family.js';

/**
 * 3D U-net as the paper's authors ran it: per level a convolution block (stride 2 below level
 * 0) and a context module (block → SpatialDropout3D → block) whose output feeds the next level;
 * a decoder of up-sample → block → concatenate → 3×3×3 block → 1×1×1 block; a 1×1×1 head.
 *
 * @example
 * const net = unet3d({ inputShape: [16, 16, 16, 1], depth: 3 });
 * net.outputs[0]?.shape; // [null, 16, 16, 16, 1]
 */
export function unet3d(options: UnetFamilyOptions = {}): LayersModel {
  const resolved = resolveUnetFamilyOptions('unet3d', options);
  const { input, output } = buildUnetFamily(resolved, {
    residualLevels: false,
    deepSupervision: false,
  });
  return model({ inputs: input, outputs: output, name: 'unet3d' });
}
