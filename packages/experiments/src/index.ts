// What a library user of @rpdl/experiments needs: the CLI as a function, the reproduction and
// its runs, profiles and the run grid, the evaluation protocol and its statistics, the report
// builders, exported models and backend selection, and the errors each of them throws.
// Internals (flag parsers, file layouts, panels, data pipeline) stay importable only inside the
// package. Trainer, losses, metrics and models live in their own packages (@rpdl/training,
// @rpdl/losses, @rpdl/models-3d).
export {
  BACKEND_NAMES,
  type BackendName,
  type CliArgs,
  type ReproduceArgs,
} from './cli/args.js';
export { COMMANDS, parseCommandLine } from './cli/command-line.js';
export {
  planReproduction,
  type ReproductionPlan,
  reproduce,
  reproduceRun,
  resolveProfile,
} from './cli/commands/reproduce.js';
export { UsageError } from './cli/errors.js';
export { EXIT, exitStatusFor } from './cli/exit-status.js';
export type { CliIo } from './cli/io.js';
export { main, VERSION } from './cli/main.js';
export { OutputDirectoryError } from './cli/output-dir.js';
export { computeBaselines } from './evaluation/baselines.js';
export {
  atlasBaseline,
  baselineImageScores,
  type Comparison,
  type EvaluationData,
  evaluateFold,
  type ImageScore,
  scoreImages,
  surgeonBaseline,
} from './evaluation/evaluation.js';
export {
  type BootstrapInterval,
  bootstrapMeanInterval,
  pairedDifferences,
} from './evaluation/paired-stats.js';
export {
  type MeanStd,
  meanStd,
  type OverallSummary,
  overallOfFolds,
} from './evaluation/stats.js';
export { type WilcoxonResult, wilcoxonSignedRank } from './evaluation/wilcoxon.js';
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
export { ManifestMismatchError, ManifestMissingError } from './grid/manifest.js';
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
  ShardSpecError,
  selectShard,
} from './grid/shard.js';
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
export { renderHtml } from './report/report-html.js';
export { renderCsv, renderJson, renderMarkdown } from './report/report-render.js';
export type { Verdict } from './report/verdicts.js';
export { CASE_WORDS, CM_WORDS, type Vocabulary } from './report/vocabulary.js';
export {
  type DatasetSource,
  datasetSource,
  loadDataset,
  standardizeVolume,
} from './runs/dataset-source.js';
export {
  collectRunMetrics,
  RunLockedError,
  type RunMetrics,
  runDirectory,
  stopReasonOf,
} from './runs/run-dir.js';
export {
  executeLockedRun,
  executeRun,
  type RunConfig,
  type RunEnvironment,
  type RunOutcome,
} from './runs/run-training.js';
export { fileSystemModelIO } from './runs/saved-model.js';
export { foldTargets, fuseAnnotations } from './runs/training-target.js';
export { type FinishedRun, RunFailedError } from './runs/worker-pool.js';
