export {
  type AnnotatedCase,
  AnnotatedCasesError,
  type LoadAnnotatedCasesOptions,
  loadAnnotatedCases,
} from './annotated-cases.js';
export {
  type Augmentation,
  type AxisPermutation,
  type AxisTransform,
  applyTransform,
  compose,
  cubeSymmetries,
  identityAugmentation,
  mirror,
  quarterTurn,
  referenceAugmentation,
  transformedShape,
  transformKey,
} from './augmentation.js';
export {
  type Batch,
  type BatchStream,
  type BatchStreamOptions,
  createBatchStream,
  type MapKind,
} from './batch-stream.js';
export {
  type CmDataset,
  CmDatasetError,
  cmDatasetFromArrays,
  type LoadCmDatasetOptions,
  loadCmDataset,
  MAX_LABEL,
  validateCmDataset,
  type WriteCmDatasetOptions,
  writeCmDataset,
} from './dataset.js';
export { type NormalizeOptions, normalizeInput } from './normalize.js';
export {
  NPY_MAX_RANK,
  type NpyArray,
  type NpyDataTypes,
  type NpyDtype,
  NpyFormatError,
  readNpy,
  writeNpy,
} from './npy.js';
export { loadNpy, saveNpy } from './npy-file.js';
export {
  generatePhantom,
  PHANTOM_LABELS,
  type PhantomOptions,
  type PhantomSize,
} from './phantom.js';
export {
  CM_LAYOUT,
  type DatasetLayout,
  leaveOneBoneOut,
  leaveOneSurgeonOut,
  type Split,
} from './splits.js';
export { type DatasetStatistics, datasetStatistics } from './statistics.js';
export {
  type CaseSplitKind,
  caseSplit,
  caseSplitFolds,
  leaveOneAnnotatorOut,
  leaveOneCaseOut,
  loadTrainingCases,
  sharedAnnotators,
  type ToTrainingCasesOptions,
  type TrainingCase,
  type TrainingCases,
  TrainingCasesError,
  type TrainingRow,
  trainingCasesFromAnnotated,
  trainingCasesFromCm,
  trainingRows,
  type VolumeData,
  validateTrainingCases,
} from './training-cases.js';
export { type ValidationSplit, validationSplit } from './validation-split.js';
export {
  isVolumeFile,
  loadVolume,
  type NiftiReadOptions,
  parseNifti,
  type Volume,
  VolumeFormatError,
} from './volume-file.js';
