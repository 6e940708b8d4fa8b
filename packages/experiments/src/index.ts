// What a library user of @rpdl/experiments needs: the CLI as a function, the reproduction and
// its runs, profiles and the run grid, the evaluation protocol and its statistics, the report
// builders and backend selection. Internals (flag parsers, file layouts, panels, data pipeline)
// stay importable only inside the package. Trainer, losses, metrics and models live in their
// own packages (@rpdl/training, @rpdl/losses, @rpdl/models-3d).
export {
  BACKEND_NAMES,
  type BackendName,
  type CliArgs,
  parseCommandLine,
  type ReproduceArgs,
} from './cli/args.js';
export { UsageError } from './cli/errors.js';
export { main } from './cli/main.js';
export { type CliIo, reproduce, resolveProfile } from './cli/reproduce.js';
export { computeBaselines } from './evaluation/baselines.js';
export {
  atlasBaseline,
  type Comparison,
  evaluateFold,
  surgeonBaseline,
} from './evaluation/evaluation.js';
export {
  type MeanStd,
  meanStd,
  type OverallSummary,
  overallOfFolds,
} from './evaluation/stats.js';
export {
  buildGrid,
  EXPERIMENTS,
  type ExperimentId,
  foldCount,
  type GridLayout,
  type GridOptions,
  type LossName,
  type RunSpec,
  runId,
} from './grid/grid.js';
export {
  type AugmentationName,
  getProfile,
  type ModelSettings,
  PROFILES,
  type Profile,
  type ProfileName,
  type TrainingSettings,
} from './grid/profiles.js';
export { parseShard, resolveShard, type Shard, selectShard } from './grid/shard.js';
export {
  AUTO_ORDER,
  type BackendSelection,
  BackendUnavailableError,
  describeBackend,
  installInstructions,
  type ModuleImporter,
  type NativeKernelStatus,
  selectBackend,
} from './platform/backend.js';
export { writeFigures } from './report/figures.js';
export { buildReport, type Report } from './report/report-data.js';
export { writeReport } from './report/report-files.js';
export { renderCsv, renderJson, renderMarkdown } from './report/report-render.js';
export { type DatasetSource, datasetSource, loadDataset } from './runs/dataset-source.js';
export { collectRunMetrics, type RunMetrics, runDirectory } from './runs/run-dir.js';
export {
  executeRun,
  type RunConfig,
  type RunEnvironment,
  type RunOutcome,
} from './runs/run-training.js';
