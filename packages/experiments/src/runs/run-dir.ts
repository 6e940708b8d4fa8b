import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  acquireLock,
  type ExclusiveLock,
  LockHeldError,
  removeAtomicTemporaries,
} from '@rpdl/atomic-fs';
import { BEST_WEIGHTS_FILE, CHECKPOINT_FILE, LOG_FILE, type StopReason } from '@rpdl/training';
import type { Comparison, ImageScore } from '../evaluation/evaluation.js';
import { type RunSpec, runId } from '../grid/grid.js';

/** File names of a run directory (the trainer's own files under the trainer's names). */
export const RUN_FILES = Object.freeze({
  config: 'config.json',
  metrics: 'metrics.json',
  log: LOG_FILE,
  checkpoint: CHECKPOINT_FILE,
  best: BEST_WEIGHTS_FILE,
  curve: 'learning-curve.svg',
  predictions: 'predictions',
});

/** `metrics.json` of a finished run; its presence marks the run as done. */
export interface RunMetrics {
  run: RunSpec;
  comparisons: Comparison[];
  epochs: number;
  bestEpoch: number | null;
  stoppedEarly: boolean;
  /** Why training ended: early stopping, or the epoch budget ran out (not converged, maybe). */
  stopReason: StopReason;
  /** Wall-clock seconds spent in this run across all (resumed) processes' training. */
  trainSeconds: number;
  /** Per test image: threshold-averaged Dice, GED and ECE; absent in runs recorded before. */
  images?: ImageScore[];
}

/**
 * The directory of a run under an output directory.
 *
 * @example
 * runDirectory('runs/quick', { experiment: 1, model: 'unet3d', loss: 'dl', fold: 0 });
 * // 'runs/quick/runs/exp1/unet3d/dl/fold-0'
 */
export function runDirectory(out: string, run: RunSpec): string {
  return join(out, 'runs', runId(run));
}

/**
 * Whether a run finished (its metrics.json exists).
 *
 * @example
 * if (isRunFinished(out, run)) console.log('skip');
 */
export function isRunFinished(out: string, run: RunSpec): boolean {
  return existsSync(join(runDirectory(out, run), RUN_FILES.metrics));
}

/**
 * Why a run stopped, from its metrics: the recorded `stopReason` when there is one; for runs
 * recorded before it existed, `stoppedEarly` says the same thing (the trainer sets it only when
 * early stopping fired before the epoch cap).
 *
 * @example
 * stopReasonOf({ ...metrics, stoppedEarly: false }); // 'max-epochs'
 */
export function stopReasonOf(metrics: RunMetrics): StopReason {
  const recorded = (metrics as { stopReason?: unknown }).stopReason;
  if (recorded === undefined) return metrics.stoppedEarly ? 'early-stopping' : 'max-epochs';
  if (recorded === 'early-stopping' || recorded === 'max-epochs') return recorded;
  throw new Error(
    `${runId(metrics.run)}: metrics.json has stopReason ${JSON.stringify(recorded)}, expected 'early-stopping' or 'max-epochs'`,
  );
}

/**
 * Every finished run's metrics under `<out>/runs`, whatever process or shard wrote them.
 *
 * @example
 * const runs = await collectRunMetrics('runs/quick');
 */
export async function collectRunMetrics(out: string): Promise<RunMetrics[]> {
  const root = join(out, 'runs');
  if (!existsSync(root)) return [];
  const found: RunMetrics[] = [];
  const relative = (await readdir(root, { recursive: true })).filter(
    (p) => basename(p) === RUN_FILES.metrics,
  );
  // Sorted so that the result (and everything built from it) does not depend on directory order.
  for (const file of relative.sort()) {
    const path = join(root, file);
    const metrics = JSON.parse(await readFile(path, 'utf8')) as RunMetrics;
    if (!metrics.run || !Array.isArray(metrics.comparisons))
      throw new Error(`${path} is not a run's metrics file`);
    metrics.stopReason = stopReasonOf(metrics);
    found.push(metrics);
  }
  return found;
}

/** Another process is writing the run (it holds the run's lock). */
export class RunLockedError extends Error {
  override name = 'RunLockedError';
}

/**
 * The lock file of a run: next to its directory (not inside, which a fresh start removes).
 *
 * @example
 * runLockPath('runs/quick', run); // 'runs/quick/runs/exp1/unet3d/dl/fold-0.lock'
 */
export function runLockPath(out: string, run: RunSpec): string {
  return `${runDirectory(out, run)}.lock`;
}

/**
 * Takes the exclusive lock of one run, so that two processes on one output directory (a repeated
 * command, overlapping shards) never write the same run, while shards of one grid can share the
 * directory. Then removes what writes killed half-way left in the run directory: holding the lock,
 * no other writer's temporary can be there. Throws {@link RunLockedError} naming the holder.
 *
 * @example
 * const lock = await lockRun('runs/quick', run);
 * try { await executeRun(run, environment); } finally { await lock.release(); }
 */
export async function lockRun(out: string, run: RunSpec): Promise<ExclusiveLock> {
  let lock: ExclusiveLock;
  try {
    lock = await acquireLock(runLockPath(out, run));
  } catch (error) {
    if (!(error instanceof LockHeldError)) throw error;
    const holder = error.holder;
    throw new RunLockedError(
      holder === null
        ? `run ${runId(run)} is locked (${error.path} has no readable owner); remove that file if no rpdl process writes ${out}`
        : `run ${runId(run)} is being written by process ${holder.pid} on ${holder.hostname} since ${holder.started} (lock ${error.path}); wait for it, or use another --out`,
    );
  }
  try {
    await removeAtomicTemporaries(runDirectory(out, run));
  } catch (error) {
    await lock.release();
    throw error;
  }
  return lock;
}
