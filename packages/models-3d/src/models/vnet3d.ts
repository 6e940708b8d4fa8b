import { type LayersModel, model } from '@tensorflow/tfjs-layers';
import type { UnetFamilyOptions } from './options.js';
import { buildUnetFamily, resolveUnetFamilyOptions } from './unet-family.js';

/**
 * "V-net" as in the paper's authors' code: the U-net of {@link unet3d} with residual levels
 * (each level outputs its first block plus its context module). This is not Milletari et al.'s
 * V-net (5×5×5 convolutions, PReLU, 1–3 convolutions per stage, transposed-convolution
 * up-sampling); it is the network the paper's numbers come from.
 *
 * @example
 * const net = vnet3d({ inputShape: [16, 16, 16, 1], depth: 3 });
 * net.outputs[0]?.shape; // [null, 16, 16, 16, 1]
 */
export function vnet3d(options: UnetFamilyOptions = {}): LayersModel {
  const resolved = resolveUnetFamilyOptions('vnet3d', options);
  const { input, output } = buildUnetFamily(resolved, {
    residualLevels: true,
    deepSupervision: false,
  });
  return model({ inputs: input, outputs: output, name: 'vnet3d' });
}
