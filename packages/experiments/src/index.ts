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
  type AnnotatedCases,
  type AnnotatedLayout,
  atlasBaseline,
  baselineImageScores,
  type Comparison,
  type EvaluationData,
  evaluateFold,
  type ImageScore,
  referenceSurgeons,
  scoreImages,
  surgeonBaseline,
  testBones,
} from './evaluation/evaluation.js';
export { erfc, twoSidedNormalP } from './evaluation/normal-tail.js';
export {
  BOOTSTRAP_RESAMPLES,
  BOOTSTRAP_SEED,
  type BootstrapInterval,
  bootstrapMeanInterval,
  mean,
  pairedDifferences,
  quantileSorted,
} from './evaluation/paired-stats.js';
export {
  type MeanStd,
  meanStd,
  type OverallSummary,
  overallOfFolds,
  overallOfSummaries,
} from './evaluation/stats.js';
export {
  midranks,
  WILCOXON_EXACT_MAX_N,
  type WilcoxonResult,
  wilcoxonSignedRank,
} from './evaluation/wilcoxon.js';
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
export { type CurveChart, learningCurveCharts } from './report/curves.js';
export {
  type Figure,
  type FigureSvg,
  renderFigureSvgs,
  renderFigures,
  writeFigures,
} from './report/figures.js';
export { SVG_FONT_FAMILY } from './report/fonts.js';
export { panelSvg } from './report/panel-svg.js';
export {
  composePanel,
  heatColor,
  heatTile,
  labelTile,
  middleSlice,
  overlayTile,
  PREDICTION_RGB,
  scaleTile,
  type Tile,
  type TileLegend,
} from './report/panels.js';
export { crc32, encodePng, type RgbImage } from './report/png.js';
export { svgToPng } from './report/rasterise.js';
export {
  type BaselineName,
  type BaselineScores,
  buildReport,
  type ExperimentReport,
  type FoldScores,
  IMAGE_METRICS,
  type ImageMetric,
  type Report,
  type RunScores,
  type SeriesSummary,
  type StopReason,
} from './report/report-data.js';
export { stopReasonOf, writeReport } from './report/report-files.js';
export { renderHtml } from './report/report-html.js';
export {
  foldLabel,
  formatP,
  IMAGE_METRICS_NOTE,
  LOSS_LABELS,
  MODEL_LABELS,
  NOT_CONVERGED_MARK,
  notConvergedNote,
  notConvergedRuns,
  type ReportTable,
  renderCsv,
  renderJson,
  renderMarkdown,
  reportTables,
  verdictTable,
} from './report/report-render.js';
export { integerTicks, learningCurveSvg, lineChart, type Series } from './report/svg-plot.js';
export {
  type Claim,
  type ClaimData,
  describeClaim,
  describeSeries,
  EQUIVALENCE_MARGIN,
  judgeClaim,
  judgeExperiment,
  paperClaims,
  type SeriesRef,
  VERDICT_ALPHA,
  VERDICT_MIN_FOLDS,
  VERDICT_RULE,
  type Verdict,
  type VerdictWord,
  verdictWord,
} from './report/verdicts.js';
export {
  asTrainingCases,
  augmentationFor,
  boneInput,
  foldSplit,
  inputNormalization,
  type RunBatches,
  type RunDataset,
  runBatches,
  splitKindOf,
} from './runs/data-pipeline.js';
export {
  CM_FILES,
  type DatasetSource,
  dataFolderKind,
  datasetLayout,
  datasetSource,
  describeSource,
  loadCmSource,
  loadDataset,
  sourceExperiment,
  standardizeCases,
  standardizeVolume,
} from './runs/dataset-source.js';
export {
  collectRunMetrics,
  isRunFinished,
  RUN_FILES,
  type RunMetrics,
  runDirectory,
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
export { foldTargets, fuseAnnotations, STAPLE_LEVEL } from './runs/training-target.js';
