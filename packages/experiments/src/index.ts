export { writeFileAtomic, writeJsonAtomic } from '@rpdl/atomic-fs';
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
} from './cli/args.js';
export { UsageError } from './cli/errors.js';
export { main } from './cli/main.js';
export { type CliIo, reproduce, resolveProfile } from './cli/reproduce.js';
export { computeBaselines, readBaselines, writeBaselines } from './evaluation/baselines.js';
export {
  type AnnotatedLayout,
  atlasBaseline,
  type Comparison,
  evaluateFold,
  referenceSurgeons,
  surgeonBaseline,
  testBones,
} from './evaluation/evaluation.js';
export { dice, meanMask, rewardPenaltyDiceScore, threshold } from './evaluation/metrics.js';
export {
  type MeanStd,
  meanStd,
  type OverallSummary,
  overallOfFolds,
  overallOfSummaries,
} from './evaluation/stats.js';
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
} from './grid/grid.js';
export {
  MANIFEST_FILE,
  type Manifest,
  readManifest,
  writeOrCheckManifest,
} from './grid/manifest.js';
export {
  type AugmentationName,
  getProfile,
  type ModelSettings,
  PROFILES,
  type Profile,
  type ProfileName,
  type TrainingSettings,
} from './grid/profiles.js';
export {
  parseShard,
  resolveShard,
  type Shard,
  type ShardEnvironment,
  selectShard,
} from './grid/shard.js';
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
} from './platform/backend.js';
export { writeFigures } from './report/figures.js';
export {
  composePanel,
  heatTile,
  labelTile,
  middleSlice,
  overlayTile,
  type Tile,
} from './report/panels.js';
export { crc32, encodePng, type RgbImage } from './report/png.js';
export {
  type BaselineName,
  type BaselineScores,
  buildReport,
  type ExperimentReport,
  type FoldScores,
  type Report,
  type RunScores,
  type SeriesSummary,
} from './report/report-data.js';
export { writeReport } from './report/report-files.js';
export {
  LOSS_LABELS,
  MODEL_LABELS,
  renderCsv,
  renderJson,
  renderMarkdown,
} from './report/report-render.js';
export { learningCurveSvg, lineChart, type Series } from './report/svg-plot.js';
export {
  augmentationFor,
  boneInput,
  foldSplit,
  type RunBatches,
  runBatches,
} from './runs/data-pipeline.js';
export {
  type DatasetSource,
  datasetSource,
  describeSource,
  loadDataset,
} from './runs/dataset-source.js';
export { type JobPlan, type JobPlanInput, parseOmpThreads, planJobs } from './runs/jobs.js';
export { ParallelProgress, type ParallelProgressOptions } from './runs/parallel-progress.js';
export {
  collectRunMetrics,
  isRunFinished,
  RUN_FILES,
  type RunMetrics,
  runDirectory,
} from './runs/run-dir.js';
export { batchLossFor } from './runs/run-loss.js';
export { finishedRunLine, type TrainRunsOptions, trainRuns } from './runs/run-schedule.js';
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
} from './runs/run-training.js';
export {
  defaultWorkerEntry,
  type FinishedRun,
  RunFailedError,
  runInWorkers,
  type WorkerPoolOptions,
} from './runs/worker-pool.js';
export {
  isParentMessage,
  isWorkerMessage,
  type ParentMessage,
  type WorkerMessage,
  type WorkerSetup,
} from './runs/worker-protocol.js';
