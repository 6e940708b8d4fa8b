import { join } from 'node:path';
import { writeFileAtomic } from '@rpdl/atomic-fs';
import { readBaselines } from '../evaluation/baselines.js';
import { readManifest } from '../grid/manifest.js';
import { collectRunMetrics } from '../runs/run-dir.js';
import { buildReport, type Report } from './report-data.js';
import { renderCsv, renderJson, renderMarkdown } from './report-render.js';

/**
 * Merges every finished run and baseline under `out` (from any number of shards) into the report
 * and writes `report.md`, `report.csv` and `report.json` there (atomically).
 *
 * @example
 * const { report, markdown } = await writeReport('runs/quick');
 */
export async function writeReport(out: string): Promise<{ report: Report; markdown: string }> {
  const manifest = await readManifest(out);
  const runs = await collectRunMetrics(out);
  const baselines = await readBaselines(out);
  const report = buildReport({
    layout: manifest.layout,
    runs: runs.map((r) => ({ ...r.run, comparisons: r.comparisons })),
    baselines,
  });
  const markdown = renderMarkdown(report);
  await writeFileAtomic(join(out, 'report.md'), markdown);
  await writeFileAtomic(join(out, 'report.csv'), renderCsv(report));
  await writeFileAtomic(join(out, 'report.json'), renderJson(report));
  return { report, markdown };
}
