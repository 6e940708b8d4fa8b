export {
  type NpyArray,
  type NpyDataTypes,
  type NpyDtype,
  NpyFormatError,
  readNpy,
  writeNpy,
} from './npy.js';
export { loadNpy, saveNpy } from './npy-file.js';
export {
  CM_LAYOUT,
  type DatasetLayout,
  leaveOneBoneOut,
  leaveOneSurgeonOut,
  type Split,
} from './splits.js';
