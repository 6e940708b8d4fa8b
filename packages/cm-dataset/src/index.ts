export {
  CM_LAYOUT,
  type DatasetLayout,
  leaveOneBoneOut,
  leaveOneSurgeonOut,
  type Split,
} from './splits.js';
