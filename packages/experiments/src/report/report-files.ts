import { join } from 'node:path';
import { writeFileAtomic } from '@rpdl/atomic-fs';
import { readBaselines } from '../evaluation/baselines.js';
import { readManifest } from '../grid/manifest.js';
import { describeSource } from '../runs/dataset-source.js';
import { collectRunMetrics } from '../runs/run-dir.js';
import { learningCurveCharts } from './curves.js';
import { renderFigureSvgs } from './figures.js';
import { buildReport, type Report } from './report-data.js';
import { renderHtml } from './report-html.js';
import { renderCsv, renderJson, renderMarkdown } from './report-render.js';
import { wordsFor } from './vocabulary.js';

/**
 * Merges every finished run and baseline under `out` (from any number of shards) into the report
 * and writes `report.md`, `report.csv`, `report.json` and `report.html` (one self-contained page
 * with the tables, verdicts, learning curves and panels) there, each atomically. Identical runs
 * give byte-identical files.
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
    runs: runs.map((r) => ({
      ...r.run,
      comparisons: r.comparisons,
      ...(r.images === undefined ? {} : { images: r.images }),
      epochs: r.epochs,
      stopReason: r.stopReason,
    })),
    baselines,
    words: wordsFor(manifest.source),
  });
  const markdown = renderMarkdown(report);
  await writeFileAtomic(join(out, 'report.md'), markdown);
  await writeFileAtomic(join(out, 'report.csv'), renderCsv(report));
  await writeFileAtomic(join(out, 'report.json'), renderJson(report));
  const html = renderHtml({
    report,
    figures: await renderFigureSvgs(out),
    curves: await learningCurveCharts(out, report),
    source: describeSource(manifest.source),
  });
  await writeFileAtomic(join(out, 'report.html'), html);
  return { report, markdown };
}
