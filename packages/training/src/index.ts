export { Adam, type AdamOptions, type AdamState } from './adam.js';
export {
  ADAM_UPDATE_KERNEL,
  type AdamUpdateAttrs,
  fusedAdamAvailable,
  fusedAdamUpdate,
} from './adam-kernel.js';
export {
  type CheckpointContents,
  CheckpointFormatError,
  decodeCheckpoint,
  encodeCheckpoint,
  loadCheckpoint,
  type StoredTensor,
  saveCheckpoint,
} from './checkpoint-file.js';
export { type EpochRecord, formatLog, LOG_HEADER, parseLog, writeLog } from './csv-log.js';
export { formatDuration, ProgressBar, type ProgressSink, progressLine } from './progress.js';
export {
  getRandomState,
  isRandomStateLayer,
  type LayeredModel,
  type ModelRandomState,
  type RandomStateLayer,
  setRandomState,
} from './random-state.js';
export {
  advanceSchedule,
  initialSchedule,
  type ScheduleDecision,
  type ScheduleSettings,
  type ScheduleState,
} from './schedule.js';
export {
  type BatchLoss,
  BEST_WEIGHTS_FILE,
  CHECKPOINT_FILE,
  evaluateLoss,
  LOG_FILE,
  type LoopSettings,
  readModelWeights,
  type StopReason,
  type TrainingBatch,
  type TrainOptions,
  type TrainResult,
  trainModel,
  writeModelWeights,
} from './train-loop.js';
