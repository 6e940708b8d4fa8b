export { Adam, type AdamOptions, type AdamState } from './adam.js';
export {
  BACKEND_NAMES,
  type BackendName,
  type BaselineArgs,
  type CliArgs,
  COMMANDS,
  DEFAULT_SEED,
  type HelpArgs,
  PHANTOM_SIZES,
  type PhantomArgs,
  type PredictArgs,
  type ProfileOverrides,
  parseCommandLine,
  parseFolds,
  parseInteger,
  parseList,
  type ReportArgs,
  type ReproduceArgs,
} from './args.js';
export { writeFileAtomic, writeJsonAtomic } from './atomic-write.js';
export {
  AUTO_ORDER,
  type BackendSelection,
  BackendUnavailableError,
  defaultImporter,
  describeBackend,
  installInstructions,
  type ModuleImporter,
  type NativeKernelStatus,
  registerNativeCpuKernels,
  selectBackend,
} from './backend.js';
export { computeBaselines, readBaselines, writeBaselines } from './baselines.js';
export {
  type CheckpointContents,
  decodeCheckpoint,
  encodeCheckpoint,
  loadCheckpoint,
  type StoredTensor,
  saveCheckpoint,
} from './checkpoint-file.js';
export { main } from './cli.js';
export { type EpochRecord, formatLog, LOG_HEADER, parseLog, writeLog } from './csv-log.js';
export {
  augmentationFor,
  boneInput,
  foldSplit,
  type RunBatches,
  runBatches,
} from './data-pipeline.js';
export {
  type DatasetSource,
  datasetSource,
  describeSource,
  loadDataset,
} from './dataset-source.js';
export { UsageError } from './errors.js';
export {
  type AnnotatedLayout,
  atlasBaseline,
  type Comparison,
  evaluateFold,
  referenceSurgeons,
  surgeonBaseline,
  testBones,
} from './evaluation.js';
export { writeFigures } from './figures.js';
export {
  buildGrid,
  EXPERIMENTS,
  type ExperimentId,
  foldCount,
  type GridLayout,
  type GridOptions,
  LOSS_NAMES,
  type LossName,
  MODEL_ORDER,
  type RunSpec,
  runId,
} from './grid.js';
export { MANIFEST_FILE, type Manifest, readManifest, writeOrCheckManifest } from './manifest.js';
export { dice, meanMask, rewardPenaltyDiceScore, threshold } from './metrics.js';
export {
  composePanel,
  heatTile,
  labelTile,
  middleSlice,
  overlayTile,
  type Tile,
} from './panels.js';
export { crc32, encodePng, type RgbImage } from './png.js';
export {
  type AugmentationName,
  getProfile,
  type ModelSettings,
  PROFILES,
  type Profile,
  type ProfileName,
  type TrainingSettings,
} from './profiles.js';
export { formatDuration, ProgressBar, type ProgressSink, progressLine } from './progress.js';
export {
  type BaselineName,
  type BaselineScores,
  buildReport,
  type ExperimentReport,
  type FoldScores,
  type Report,
  type RunScores,
  type SeriesSummary,
} from './report-data.js';
export { writeReport } from './report-files.js';
export {
  LOSS_LABELS,
  MODEL_LABELS,
  renderCsv,
  renderJson,
  renderMarkdown,
} from './report-render.js';
export { type CliIo, reproduce, resolveProfile } from './reproduce.js';
export { hashSeed, installMathRandom, type RandomState, SeededRandom } from './rng.js';
export {
  collectRunMetrics,
  isRunFinished,
  RUN_FILES,
  type RunMetrics,
  runDirectory,
} from './run-dir.js';
export { batchLossFor } from './run-loss.js';
export {
  buildFromConfig,
  executeRun,
  type ModelConfig,
  modelConfigFor,
  predictVolume,
  type RunConfig,
  type RunEnvironment,
  type RunOutcome,
  runSeed,
} from './run-training.js';
export {
  advanceSchedule,
  initialSchedule,
  type ScheduleDecision,
  type ScheduleSettings,
  type ScheduleState,
} from './schedule.js';
export {
  parseShard,
  resolveShard,
  type Shard,
  type ShardEnvironment,
  selectShard,
} from './shard.js';
export {
  type MeanStd,
  meanStd,
  type OverallSummary,
  overallOfFolds,
  overallOfSummaries,
} from './stats.js';
export { learningCurveSvg, lineChart, type Series } from './svg-plot.js';
export {
  type BatchLoss,
  BEST_WEIGHTS_FILE,
  CHECKPOINT_FILE,
  evaluateLoss,
  LOG_FILE,
  type LoopSettings,
  readModelWeights,
  type TrainingBatch,
  type TrainOptions,
  type TrainResult,
  trainModel,
  writeModelWeights,
} from './train-loop.js';
