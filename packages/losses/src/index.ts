export { type DiceLossOptions, diceLoss } from './dice-loss.js';
