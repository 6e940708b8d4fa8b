export {
  type BoneScores,
  scoreHeldOutBone,
  surgeonAgreement,
} from './evaluate.js';
export {
  type ExampleDefaults,
  type ExampleSettings,
  exampleDefaults,
  LOSS_NAMES,
  type LossName,
  parseExampleFlags,
  usage,
} from './flags.js';
export { type Fold, phantomFold } from './fold.js';
export { type KernelChoice, useNativeKernels } from './kernels.js';
export { busiestSlice, type PanelVolumes, renderPanel, writePanel } from './panel.js';
export {
  type ExampleDefinition,
  type ExampleResult,
  resultLines,
  runExample,
  runExampleCli,
} from './run.js';
export { checkSmokeResult } from './testing.js';
export { segmentationLoss, type TrainingLog, trainOnFold } from './train.js';
