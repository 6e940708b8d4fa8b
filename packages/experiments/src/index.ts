export { writeFileAtomic, writeJsonAtomic } from '@rpdl/atomic-fs';
export {
  BACKEND_NAMES,
  type BackendName,
  type BaselineArgs,
  type CliArgs,
  DEFAULT_SEED,
  type ExportArgs,
  type HelpArgs,
  LIMITS,
  PHANTOM_SIZES,
  type PhantomArgs,
  type PredictArgs,
  type ProfileOverrides,
  parseFolds,
  parseInteger,
  parseList,
  type ReportArgs,
  type ReproduceArgs,
  type VersionArgs,
} from './cli/args.js';
export { COMMANDS, parseCommandLine } from './cli/command-line.js';
export { COMMAND_LIST } from './cli/commands/index.js';
export {
  checkFolds,
  planReproduction,
  type ReproductionPlan,
  reproduce,
  reproduceRun,
  resolveProfile,
} from './cli/commands/reproduce.js';
export { UsageError } from './cli/errors.js';
export { describeError, EXIT, exitStatusFor } from './cli/exit-status.js';
export type { CliIo } from './cli/io.js';
export { main, VERSION } from './cli/main.js';
export { OutputDirectoryError } from './cli/output-dir.js';
export {
  type Command,
  formatCommandHelp,
  type OptionSpec,
  type OptionsSpec,
  type ParsedOptions,
  parseOptions,
} from './cli/spec.js';
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
  ManifestMismatchError,
  ManifestMissingError,
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
  ShardSpecError,
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
export {
  collectRunMetrics,
  isRunFinished,
  lockRun,
  RUN_FILES,
  RunLockedError,
  type RunMetrics,
  runDirectory,
  runLockPath,
} from './runs/run-dir.js';
export { batchLossFor } from './runs/run-loss.js';
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
  fileSystemModelIO,
  isSavedModelDirectory,
  loadSavedModel,
  SAVED_MODEL_FILES,
} from './runs/saved-model.js';
