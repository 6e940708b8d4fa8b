import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Comparison, ImageScore } from '../evaluation/evaluation.js';
import { type RunSpec, runId } from '../grid/grid.js';

/** File names of a run directory. */
export const RUN_FILES = Object.freeze({
  config: 'config.json',
  metrics: 'metrics.json',
  log: 'log.csv',
  checkpoint: 'checkpoint.ckpt',
  best: 'best.ckpt',
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
    found.push(metrics);
  }
  return found;
}
