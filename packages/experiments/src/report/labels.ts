import type { ModelName } from '@rpdl/models-3d';
import type { LossName } from '../grid/grid.js';

/** The paper's names for the models. */
export const MODEL_LABELS: Readonly<Record<ModelName, string>> = Object.freeze({
  unet3d: 'U-net',
  vnet3d: 'V-net',
  isensee2017: 'Isensee17',
  myronenko2018: 'Myronenko18',
});
/** The paper's names for the losses. */
export const LOSS_LABELS: Readonly<Record<LossName, string>> = Object.freeze({
  wcel: 'WCEL',
  dl: 'DL',
  rpdl: 'RPDL',
});
