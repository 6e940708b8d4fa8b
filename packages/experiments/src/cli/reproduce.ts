import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { formatDuration, type ProgressSink } from '@rpdl/training';
import { computeBaselines, writeBaselines } from '../evaluation/baselines.js';
import { buildGrid, runId } from '../grid/grid.js';
import { type Manifest, writeOrCheckManifest } from '../grid/manifest.js';
import { getProfile, type Profile } from '../grid/profiles.js';
import { resolveShard, type ShardEnvironment, selectShard } from '../grid/shard.js';
import { describeBackend, type ModuleImporter, selectBackend } from '../platform/backend.js';
import { writeFigures } from '../report/figures.js';
import { writeReport } from '../report/report-files.js';
import { renderMarkdown } from '../report/report-render.js';
import { datasetSource, describeSource, loadDataset } from '../runs/dataset-source.js';
import { planJobs } from '../runs/jobs.js';
import { isRunFinished } from '../runs/run-dir.js';
import { finishedRunLine, trainRuns } from '../runs/run-schedule.js';
import { RunFailedError } from '../runs/worker-pool.js';
import type { ReproduceArgs } from './args.js';
import { UsageError } from './errors.js';

/** Streams and environment of a CLI invocation (injectable for tests). */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: ProgressSink;
  env: ShardEnvironment & Record<string, string | undefined>;
  importer?: ModuleImporter;
}

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
 * `rpdl reproduce`: trains and evaluates this process's slice of the run grid, writes the
 * baselines, and, when it ran the whole grid, the report (printing Tables III and IV).
 * Returns the exit code.
 *
 * @example
 * await reproduce(parseCommandLine(['reproduce', '--profile', 'smoke']) as ReproduceArgs, io);
 */
export async function reproduce(args: ReproduceArgs, io: CliIo): Promise<number> {
  const started = performance.now();
  const profile = resolveProfile(args.profile, args.overrides);
  const out = args.out ?? join('runs', profile.name);
  const shard = resolveShard({ flag: args.shard, countFlag: args.shardCount, env: io.env });
  const source = datasetSource({
    ...(args.data === undefined ? {} : { data: args.data }),
    phantom: profile.phantom,
  });
  const say = (text: string) => io.stdout.write(`${text}\n`);

  const backend = await selectBackend(args.backend, io.importer ? { importer: io.importer } : {});
  const dataset = await loadDataset(source);
  const grid = buildGrid({
    experiments: args.experiments ?? profile.defaults.experiments,
    models: args.models ?? profile.defaults.models,
    losses: args.losses ?? profile.defaults.losses,
    ...((args.folds ?? profile.defaults.folds) === undefined
      ? {}
      : { folds: args.folds ?? profile.defaults.folds }),
    layout: dataset.layout,
  });
  const slice = shard ? selectShard(grid, shard) : grid;
  if (!args.resume) {
    const finished = slice.filter((run) => isRunFinished(out, run));
    if (finished.length > 0) {
      throw new UsageError(
        `${out} already holds ${finished.length} finished run(s) of this grid (e.g. ${runId(finished[0]!)}); pass --resume to keep them and continue, or choose another --out`,
      );
    }
  }
  const manifest: Manifest = { profile, seed: args.seed, source, layout: { ...dataset.layout } };
  await writeOrCheckManifest(out, manifest);

  say(`rpdl reproduce: profile ${profile.name} — ${profile.description}`);
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

  const plan = planJobs({
    ...(args.jobs === undefined ? {} : { requested: args.jobs }),
    cores: availableParallelism(),
    runs: slice.length,
    ompNumThreads: io.env.OMP_NUM_THREADS,
  });
  say(
    plan.jobs > 1
      ? `jobs: ${plan.jobs} worker processes × ${plan.threadsPerJob} OpenMP thread(s) (${plan.reason})`
      : `jobs: 1, in this process (${plan.reason})`,
  );
  try {
    await trainRuns({
      runs: slice,
      plan,
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
