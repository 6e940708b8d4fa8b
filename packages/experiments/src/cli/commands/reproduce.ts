import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { CaseSplitKind } from '@rpdl/cm-dataset';
import { PAPER_LOSSES } from '@rpdl/losses';
import { formatDuration } from '@rpdl/training';
import { computeBaselines, writeBaselines } from '../../evaluation/baselines.js';
import {
  buildGrid,
  type GridLayout,
  LOSS_NAMES,
  MODEL_ORDER,
  type RunSpec,
  runId,
} from '../../grid/grid.js';
import { type Manifest, writeOrCheckManifest } from '../../grid/manifest.js';
import { getProfile, type Profile } from '../../grid/profiles.js';
import { resolveShard, type Shard, selectShard } from '../../grid/shard.js';
import { describeBackend } from '../../platform/backend.js';
import { writeFigures } from '../../report/figures.js';
import { writeReport } from '../../report/report-files.js';
import { renderMarkdown } from '../../report/report-render.js';
import type { RunDataset } from '../../runs/data-pipeline.js';
import {
  type DatasetSource,
  datasetLayout,
  datasetSource,
  describeSource,
  loadDataset,
  sourceExperiment,
} from '../../runs/dataset-source.js';
import { planJobs } from '../../runs/jobs.js';
import { isRunFinished } from '../../runs/run-dir.js';
import { finishedRunLine, trainRuns } from '../../runs/run-schedule.js';
import { executeLockedRun, type RunOutcome } from '../../runs/run-training.js';
import { RunFailedError } from '../../runs/worker-pool.js';
import { activateBackend } from '../activate-backend.js';
import {
  BACKEND_NAMES,
  DEFAULT_SEED,
  LIMITS,
  PROFILE_NAMES,
  parseChoice,
  parseExperiments,
  parseFolds,
  parseInteger,
  parseLearningRate,
  parseList,
  parsePhantomSize,
  type ReproduceArgs,
  stringOption,
} from '../args.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { prepareOutputDirectory } from '../output-dir.js';
import type { Command } from '../spec.js';

/**
 * A profile with the command line's overrides applied.
 *
 * @example
 * resolveProfile('quick', { maxEpochs: 2 }).training.maxEpochs; // 2
 */
export function resolveProfile(
  name: ReproduceArgs['profile'],
  overrides: ReproduceArgs['overrides'],
): Profile {
  const base = getProfile(name);
  return {
    ...base,
    phantom: {
      ...base.phantom,
      ...(overrides.phantomSize === undefined ? {} : { size: overrides.phantomSize }),
    },
    model: { ...base.model },
    training: {
      ...base.training,
      ...(overrides.maxEpochs === undefined ? {} : { maxEpochs: overrides.maxEpochs }),
      ...(overrides.stepsPerEpoch === undefined ? {} : { stepsPerEpoch: overrides.stepsPerEpoch }),
      ...(overrides.learningRate === undefined ? {} : { learningRate: overrides.learningRate }),
      ...(overrides.batchSize === undefined
        ? {}
        : { batchSize: overrides.batchSize, myronenkoBatchSize: overrides.batchSize }),
    },
    defaults: { ...base.defaults },
  };
}

/**
 * Checks that every fold given with `--folds` exists in every selected experiment. A fold that
 * exists in only one of them (e.g. fold 7 with both experiments: Experiment 2 has 7 folds) is a
 * mistake rather than silently run for one experiment only: the tables would miss a row without
 * saying why.
 *
 * @example
 * checkFolds([7], [1, 2], { bones: 9, surgeons: 7 }); // throws: Experiment 2 has folds 0..6
 */
export function checkFolds(
  folds: readonly number[],
  experiments: readonly (1 | 2)[],
  layout: GridLayout,
): void {
  const ranges = experiments.map((e) => ({
    experiment: e,
    count: e === 1 ? layout.bones : layout.surgeons,
  }));
  const describe = ranges.map((r) => `Experiment ${r.experiment}: 0..${r.count - 1}`).join(', ');
  for (const fold of folds) {
    const missing = ranges.filter((r) => fold >= r.count);
    if (missing.length === 0) continue;
    const holding = ranges.filter((r) => fold < r.count);
    throw new UsageError(
      holding.length === 0
        ? `--folds: fold ${fold} does not exist; valid folds are ${describe}`
        : `--folds: fold ${fold} exists only in Experiment ${holding[0]!.experiment} (${describe}); add --experiment ${holding[0]!.experiment} to run it`,
    );
  }
}

/** The ways `--split` divides a folder of cases (Experiment 1's and Experiment 2's protocols). */
const SPLIT_KINDS: readonly CaseSplitKind[] = ['leave-one-case-out', 'leave-one-annotator-out'];

/** What a reproduction runs, resolved from the command line, the profile and the data. */
export interface ReproductionPlan {
  profile: Profile;
  out: string;
  source: DatasetSource;
  dataset: RunDataset;
  layout: GridLayout;
  grid: RunSpec[];
  shard: Shard | undefined;
  /** The runs this process owns (the whole grid without a shard). */
  slice: RunSpec[];
}

/**
 * Resolves the profile, shard, data and grid of a reproduction and checks them, before any
 * backend is loaded or any file written.
 *
 * @example
 * const plan = await planReproduction(args, io);
 */
export async function planReproduction(args: ReproduceArgs, io: CliIo): Promise<ReproductionPlan> {
  const profile = resolveProfile(args.profile, args.overrides);
  const out = args.out ?? join('runs', profile.name);
  const shard = resolveShard({ flag: args.shard, countFlag: args.shardCount, env: io.env });
  const source = datasetSource({
    ...(args.data === undefined ? {} : { data: args.data }),
    ...(args.split === undefined ? {} : { split: args.split }),
    phantom: profile.phantom,
  });
  // A folder of cases runs the one experiment its --split names.
  const fixed = sourceExperiment(source);
  if (fixed !== undefined && args.experiments !== undefined && !args.experiments.includes(fixed)) {
    throw new UsageError(
      `--split ${args.split} is Experiment ${fixed}'s protocol; drop --experiment or pass --experiment ${fixed}`,
    );
  }
  const dataset = await loadDataset(source);
  const layout = datasetLayout(source, dataset);
  const experiments =
    fixed === undefined ? (args.experiments ?? profile.defaults.experiments) : [fixed];
  const folds = args.folds ?? profile.defaults.folds;
  if (args.folds !== undefined) checkFolds(args.folds, experiments, layout);
  const grid = buildGrid({
    experiments,
    models: args.models ?? profile.defaults.models,
    losses: args.losses ?? profile.defaults.losses,
    ...(folds === undefined ? {} : { folds }),
    layout,
  });
  const slice = shard ? selectShard(grid, shard) : grid;
  return { profile, out, source, dataset, layout, grid, shard, slice };
}

/**
 * The header line of the effective training settings, after the command line's overrides.
 *
 * @example
 * trainingSummary(resolveProfile('smoke', { maxEpochs: 3 })); // 'training: up to 3 epoch(s), …'
 */
export function trainingSummary(profile: Profile): string {
  const t = profile.training;
  const steps = t.stepsPerEpoch === null ? 'a full pass' : `${t.stepsPerEpoch} step(s)`;
  return `training: up to ${t.maxEpochs} epoch(s) of ${steps}, batch ${t.batchSize}, learning rate ${t.learningRate}`;
}

/**
 * Trains and evaluates one run of a plan (skipping it when `resume` finds it finished), holding
 * the run's lock meanwhile: a second process on the same run is refused, naming the holder.
 *
 * @example
 * const outcome = await reproduceRun(plan, plan.slice[0]!, args, io);
 */
export async function reproduceRun(
  plan: ReproductionPlan,
  run: RunSpec,
  args: ReproduceArgs,
  io: CliIo,
): Promise<RunOutcome> {
  return executeLockedRun(run, {
    dataset: plan.dataset,
    profile: plan.profile,
    seed: args.seed,
    out: plan.out,
    resume: args.resume,
    ...(args.quiet ? {} : { progress: io.stderr }),
  });
}

/**
 * `rpdl reproduce`: trains and evaluates this process's slice of the run grid, writes the
 * baselines, and, when it ran the whole grid, the report (printing Tables III and IV).
 * Returns the exit code.
 *
 * @example
 * await reproduce(reproduceCommand.parse(parseOptions(reproduceCommand.options, ['--profile', 'smoke'], 0)), io);
 */
export async function reproduce(args: ReproduceArgs, io: CliIo): Promise<number> {
  const started = performance.now();
  const plan = await planReproduction(args, io);
  const { profile, out, source, dataset, layout, grid, shard, slice } = plan;
  const say = (text: string) => io.stdout.write(`${text}\n`);

  if (!args.resume) {
    const finished = slice.filter((run) => isRunFinished(out, run));
    if (finished.length > 0) {
      throw new UsageError(
        `${out} already holds ${finished.length} finished run(s) of this grid (e.g. ${runId(finished[0]!)}); pass --resume to keep them and continue, or choose another --out`,
      );
    }
  }
  const backend = await activateBackend(args.backend, io);
  await prepareOutputDirectory(out);
  const manifest: Manifest = { profile, seed: args.seed, source, layout };
  await writeOrCheckManifest(out, manifest);

  say(`rpdl reproduce: profile ${profile.name} — ${profile.description}`);
  say(trainingSummary(profile));
  say(`data: ${describeSource(source)}; backend: ${describeBackend(backend)}`);
  say(
    `grid: ${grid.length} run(s)${shard ? `, shard ${shard.index}/${shard.count} runs ${slice.length}` : ''}; output: ${out}`,
  );

  const folds = new Map<string, { experiment: 1 | 2; fold: number }>();
  for (const run of grid)
    folds.set(`${run.experiment}:${run.fold}`, { experiment: run.experiment, fold: run.fold });
  for (const { experiment, fold } of folds.values()) {
    await writeBaselines(out, computeBaselines(experiment, fold, dataset));
  }

  const jobs = planJobs({
    ...(args.jobs === undefined ? {} : { requested: args.jobs }),
    cores: availableParallelism(),
    runs: slice.length,
    ompNumThreads: io.env.OMP_NUM_THREADS,
  });
  say(
    jobs.jobs > 1
      ? `jobs: ${jobs.jobs} worker processes × ${jobs.threadsPerJob} OpenMP thread(s) (${jobs.reason})`
      : `jobs: 1, in this process (${jobs.reason})`,
  );
  try {
    await trainRuns({
      runs: slice,
      plan: jobs,
      setup: {
        backend: args.backend,
        source,
        profile,
        seed: args.seed,
        out,
        resume: args.resume,
        progress: !args.quiet,
        isTTY: io.stderr.isTTY === true,
      },
      dataset,
      stderr: io.stderr,
      stdoutIsTTY: (io.stdout as { isTTY?: boolean }).isTTY === true,
      env: { ...process.env, ...io.env },
      onFinished: (finished) => say(finishedRunLine(finished, slice.length)),
    });
  } catch (error) {
    if (!(error instanceof RunFailedError)) throw error;
    io.stderr.write(
      `rpdl: ${error.message}\nThe other runs were stopped; finished runs are kept, and --resume continues the rest.\n`,
    );
    return 1;
  }

  const elapsed = formatDuration((performance.now() - started) / 1000);
  if (shard && shard.count > 1) {
    say(
      `shard ${shard.index}/${shard.count} finished in ${elapsed}; when every shard is done: rpdl report ${out}`,
    );
    return 0;
  }
  const { report } = await writeReport(out);
  await writeFigures(out);
  say('');
  io.stdout.write(renderMarkdown(report, { only: 'overall' }));
  say(
    `\nfinished in ${elapsed}; full report (Tables I–IV, CSV, JSON): ${join(out, 'report.md')}; figures: ${join(out, 'figures')}`,
  );
  return 0;
}

/** `rpdl reproduce`: the command's spec, parser and handler. */
export const reproduceCommand: Command<ReproduceArgs> = {
  name: 'reproduce',
  summary: 'train + evaluate the run grid (the default command; default --profile quick)',
  synopsis: '[reproduce] [options]',
  options: {
    profile: {
      type: 'string',
      value: PROFILE_NAMES.join('|'),
      help: 'settings (default quick: U-net, 3 losses, all folds, 16³ phantom)',
    },
    experiment: {
      type: 'string',
      value: '1|2|both',
      help: '1 = leave one bone out, 2 = leave one surgeon out',
    },
    models: { type: 'string', value: 'a,b', help: MODEL_ORDER.join(', ') },
    losses: {
      type: 'string',
      value: 'a,b',
      help: `${PAPER_LOSSES.join(', ')} (default); opt-in: ${LOSS_NAMES.filter((n) => !PAPER_LOSSES.includes(n)).join(', ')}`,
    },
    folds: {
      type: 'string',
      value: '0,2,4-6|all',
      help: '0-based folds (Exp 1: 0..8, Exp 2: 0..6 on the CM layout); each must exist in every selected experiment',
    },
    data: {
      type: 'string',
      value: '<dir>',
      help: 'directory with x9_7.npy and y9_7.npy, or a folder of cases (default: the phantom)',
    },
    split: {
      type: 'string',
      value: SPLIT_KINDS.join('|'),
      help: "for a folder of cases: Experiment 1's protocol (leave-one-case-out) or 2's",
    },
    'phantom-size': {
      type: 'string',
      value: '<n>',
      help: "phantom edge length (16, 32, 64) instead of the profile's",
    },
    backend: {
      type: 'string',
      value: BACKEND_NAMES.join('|'),
      help: 'default auto: the fastest installed',
    },
    out: { type: 'string', value: '<dir>', help: 'output directory (default runs/<profile>)' },
    jobs: {
      type: 'string',
      short: 'j',
      value: '<n>',
      help: 'runs trained at once in worker processes (default: one per core, jobs × OpenMP threads ≤ cores)',
    },
    resume: {
      type: 'boolean',
      help: 'skip finished runs, continue interrupted ones from their checkpoint',
    },
    shard: {
      type: 'string',
      value: 'i/n',
      help: 'run only shard i of n (also SLURM_ARRAY_TASK_ID/COUNT, or JOB_COMPLETION_INDEX)',
    },
    'shard-count': {
      type: 'string',
      value: '<n>',
      help: 'shard count for Kubernetes Indexed Jobs (or RPDL_SHARD_COUNT)',
    },
    seed: {
      type: 'string',
      value: '<n>',
      help: `global seed, 0..${LIMITS.seed} (default ${DEFAULT_SEED})`,
    },
    epochs: {
      type: 'string',
      value: '<n>',
      help: `maximum epochs instead of the profile's, 1..${LIMITS.epochs}`,
    },
    'steps-per-epoch': {
      type: 'string',
      value: '<n>',
      help: `batches per epoch instead of the profile's, 1..${LIMITS.stepsPerEpoch}`,
    },
    'batch-size': {
      type: 'string',
      value: '<n>',
      help: `batch size instead of the profile's, 1..${LIMITS.batchSize}`,
    },
    'learning-rate': {
      type: 'string',
      value: '<x>',
      help: "initial Adam learning rate instead of the profile's, in (0, 1)",
    },
    quiet: { type: 'boolean', short: 'q', help: 'no progress bars' },
  },
  notes: `Each run directory is locked while a process writes it (<run dir>.lock names the holder),
so shards can share one --out but two processes never write the same run.`,
  parse({ values }) {
    const text = (key: string) => stringOption(values, key);
    const args: ReproduceArgs = {
      command: 'reproduce',
      profile: parseChoice('--profile', text('profile') ?? 'quick', PROFILE_NAMES),
      resume: values.resume === true,
      seed: DEFAULT_SEED,
      backend: parseChoice('--backend', text('backend') ?? 'auto', BACKEND_NAMES),
      overrides: {},
      quiet: values.quiet === true,
    };
    const experiment = text('experiment');
    if (experiment !== undefined) args.experiments = parseExperiments(experiment);
    const models = text('models');
    if (models !== undefined) args.models = parseList('--models', models, MODEL_ORDER);
    const losses = text('losses');
    if (losses !== undefined) args.losses = parseList('--losses', losses, LOSS_NAMES);
    const folds = text('folds');
    if (folds !== undefined) {
      const parsed = parseFolds(folds);
      if (parsed !== undefined) args.folds = parsed;
    }
    const data = text('data');
    if (data !== undefined) args.data = data;
    const split = text('split');
    if (split !== undefined) {
      if (data === undefined) throw new UsageError('--split needs --data <folder of cases>');
      args.split = parseChoice('--split', split, SPLIT_KINDS);
    }
    const out = text('out');
    if (out !== undefined) args.out = out;
    const shard = text('shard');
    if (shard !== undefined) args.shard = shard;
    const shardCount = text('shard-count');
    if (shardCount !== undefined)
      args.shardCount = parseInteger('--shard-count', shardCount, 1, LIMITS.shardCount);
    const jobs = text('jobs');
    if (jobs !== undefined) args.jobs = parseInteger('--jobs', jobs, 1, LIMITS.jobs);
    const seed = text('seed');
    if (seed !== undefined) args.seed = parseInteger('--seed', seed, 0, LIMITS.seed);
    const epochs = text('epochs');
    if (epochs !== undefined)
      args.overrides.maxEpochs = parseInteger('--epochs', epochs, 1, LIMITS.epochs);
    const steps = text('steps-per-epoch');
    if (steps !== undefined)
      args.overrides.stepsPerEpoch = parseInteger(
        '--steps-per-epoch',
        steps,
        1,
        LIMITS.stepsPerEpoch,
      );
    const batch = text('batch-size');
    if (batch !== undefined)
      args.overrides.batchSize = parseInteger('--batch-size', batch, 1, LIMITS.batchSize);
    const lr = text('learning-rate');
    if (lr !== undefined) args.overrides.learningRate = parseLearningRate(lr);
    const size = text('phantom-size');
    if (size !== undefined) {
      if (data !== undefined) {
        throw new UsageError('--phantom-size and --data exclude each other; give one of them');
      }
      args.overrides.phantomSize = parsePhantomSize('--phantom-size', size);
    }
    return args;
  },
  run: reproduce,
};
