import { formatDuration, type ProgressSink } from '@rpdl/training';
import { type RunSpec, runId } from '../grid/grid.js';
import type { RunDataset } from './data-pipeline.js';
import type { JobPlan } from './jobs.js';
import { ParallelProgress } from './parallel-progress.js';
import { executeLockedRun } from './run-training.js';
import { type FinishedRun, runInWorkers } from './worker-pool.js';
import type { WorkerSetup } from './worker-protocol.js';

/** What {@link trainRuns} needs. */
export interface TrainRunsOptions {
  runs: readonly RunSpec[];
  plan: JobPlan;
  /** The run settings; `progress` and `isTTY` say how to show progress. */
  setup: WorkerSetup;
  /** The loaded dataset, used when the runs train in this process. */
  dataset: RunDataset;
  /** Progress stream (stderr). */
  stderr: ProgressSink & { columns?: number };
  /** Whether stdout is a terminal too (then status lines and results share it). */
  stdoutIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  /** Called as each run finishes, in completion order. */
  onFinished: (finished: FinishedRun) => void;
}

/**
 * Trains the runs in this process, one after the other, when the plan has one job; otherwise in
 * `plan.jobs` worker processes with one status line each (see {@link runInWorkers}).
 *
 * @example
 * await trainRuns({ runs, plan, setup, dataset, stderr: process.stderr, stdoutIsTTY: true,
 *                   env: process.env, onFinished: (f) => console.log(finishedRunLine(f, runs.length)) });
 */
export async function trainRuns(options: TrainRunsOptions): Promise<void> {
  const { runs, setup } = options;
  if (options.plan.jobs <= 1) {
    for (const [index, run] of runs.entries()) {
      const started = performance.now();
      const outcome = await executeLockedRun(run, {
        dataset: options.dataset,
        profile: setup.profile,
        seed: setup.seed,
        out: setup.out,
        resume: setup.resume,
        ...(setup.progress ? { progress: options.stderr } : {}),
      });
      options.onFinished({
        index,
        run,
        status: outcome.status,
        metrics: outcome.metrics,
        seconds: (performance.now() - started) / 1000,
      });
    }
    return;
  }
  const jobs = Math.min(options.plan.jobs, runs.length);
  await runInWorkers({
    runs,
    jobs,
    threadsPerJob: options.plan.threadsPerJob,
    setup,
    env: options.env,
    stderr: options.stderr,
    onFinished: options.onFinished,
    ...(setup.progress
      ? {
          progress: new ParallelProgress({
            sink: options.stderr,
            slots: jobs,
            sharesTerminal: options.stdoutIsTTY && options.stderr.isTTY === true,
          }),
        }
      : {}),
  });
}

/**
 * The line printed when a run finishes: its position in the grid, id, epochs, mean Dice over the
 * fold's comparisons and wall time. Numbered by grid position, so the lines say the same whatever
 * order parallel workers finish in.
 *
 * @example
 * finishedRunLine(finished, 48); // '[3/48] exp1/unet3d/wcel/fold-2: 24 epoch(s), Dice 0.612 (0:41)'
 */
export function finishedRunLine(finished: FinishedRun, total: number): string {
  const dice = finished.metrics.comparisons.map((c) => c.dice);
  const meanDice = dice.reduce((a, b) => a + b, 0) / dice.length;
  const what =
    finished.status === 'skipped' ? 'already finished' : `${finished.metrics.epochs} epoch(s)`;
  return `[${finished.index + 1}/${total}] ${runId(finished.run)}: ${what}, Dice ${meanDice.toFixed(3)} (${formatDuration(finished.seconds)})`;
}
