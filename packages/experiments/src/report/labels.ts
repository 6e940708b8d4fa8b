import { getLoss, LOSS_NAMES, type LossName } from '@rpdl/losses';
import type { ModelName } from '@rpdl/models-3d';

/** The paper's names for the models. */
export const MODEL_LABELS: Readonly<Record<ModelName, string>> = Object.freeze({
  unet3d: 'U-net',
  vnet3d: 'V-net',
  isensee2017: 'Isensee17',
  myronenko2018: 'Myronenko18',
});
/** The tables' names for the losses: each registry entry's label ('WCEL', 'DL', 'RPDL', …). */
export const LOSS_LABELS: Readonly<Record<LossName, string>> = Object.freeze(
  Object.fromEntries(LOSS_NAMES.map((name) => [name, getLoss(name).label])) as Record<
    LossName,
    string
  >,
);
