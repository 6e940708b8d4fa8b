import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '@rpdl/atomic-fs';
import type { ExperimentId } from '../grid/grid.js';
import type { BaselineName, BaselineScores } from '../report/report-data.js';
import {
  atlasBaseline,
  baselineImageScores,
  type EvaluationData,
  surgeonBaseline,
} from './evaluation.js';

/**
 * The baselines of one fold: the atlas always, and for Experiment 2 the held-out surgeon.
 *
 * @example
 * computeBaselines(2, 0, dataset).map((b) => b.name); // ['atlas', 'surgeon']
 */
export function computeBaselines(
  experiment: ExperimentId,
  fold: number,
  data: EvaluationData,
): BaselineScores[] {
  const result: BaselineScores[] = [
    {
      experiment,
      name: 'atlas',
      fold,
      comparisons: atlasBaseline(experiment, fold, data),
      images: baselineImageScores('atlas', experiment, fold, data),
    },
  ];
  if (experiment === 2) {
    result.push({
      experiment,
      name: 'surgeon',
      fold,
      comparisons: surgeonBaseline(fold, data),
      images: baselineImageScores('surgeon', experiment, fold, data),
    });
  }
  return result;
}

function baselinePath(
  out: string,
  b: { experiment: ExperimentId; name: BaselineName; fold: number },
): string {
  return join(out, 'baselines', `exp${b.experiment}`, b.name, `fold-${b.fold}.json`);
}

/**
 * Writes baseline scores, one atomic file per (experiment, baseline, fold); shards that compute
 * the same fold write identical files.
 *
 * @example
 * await writeBaselines('runs/quick', computeBaselines(1, 0, dataset));
 */
export async function writeBaselines(
  out: string,
  baselines: readonly BaselineScores[],
): Promise<void> {
  for (const b of baselines) await writeJsonAtomic(baselinePath(out, b), b);
}

/**
 * Every baseline file under `<out>/baselines`.
 *
 * @example
 * const baselines = await readBaselines('runs/quick');
 */
export async function readBaselines(out: string): Promise<BaselineScores[]> {
  const root = join(out, 'baselines');
  if (!existsSync(root)) return [];
  const files = (await readdir(root, { recursive: true }))
    .filter((f) => f.endsWith('.json'))
    .sort();
  return Promise.all(
    files.map(async (f) => JSON.parse(await readFile(join(root, f), 'utf8')) as BaselineScores),
  );
}
