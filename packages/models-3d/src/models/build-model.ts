import type { LayersModel } from '@tensorflow/tfjs-layers';
import { isensee2017 } from './isensee2017.js';
import { type Myronenko2018Options, myronenko2018 } from './myronenko2018.js';
import { MODEL_NAMES, type ModelName, type UnetFamilyOptions } from './options.js';
import { unet3d } from './unet3d.js';
import { vnet3d } from './vnet3d.js';

/** The options type each model accepts. */
export type OptionsFor<N extends ModelName> = N extends 'myronenko2018'
  ? Myronenko2018Options
  : UnetFamilyOptions;

/**
 * Builds one of the paper's models by name (`MODEL_NAMES`).
 *
 * @example
 * const net = buildModel('vnet3d', { inputShape: [32, 32, 32, 1], depth: 4 });
 */
export function buildModel<N extends ModelName>(name: N, options: OptionsFor<N> = {}): LayersModel {
  switch (name as ModelName) {
    case 'unet3d':
      return unet3d(options);
    case 'vnet3d':
      return vnet3d(options);
    case 'isensee2017':
      return isensee2017(options);
    case 'myronenko2018':
      return myronenko2018(options);
    default:
      throw new RangeError(
        `buildModel: unknown model ${JSON.stringify(name)}; expected one of ${MODEL_NAMES.join(', ')}`,
      );
  }
}
