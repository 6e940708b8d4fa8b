import type { CurveChart } from './curves.js';
import type { FigureSvg } from './figures.js';
import type { Report } from './report-data.js';
import { notConvergedNote, type ReportTable, reportTables, verdictTable } from './report-render.js';
import { VERDICT_RULE } from './verdicts.js';
import { escapeXml } from './xml.js';

const STYLE = `
body { margin: 0; background: #f6f7f9; color: #1b1f24; font: 14px/1.45 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
main { max-width: 1140px; margin: 0 auto; padding: 24px 28px 48px; background: white; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 2px solid #d0d7de; }
h3 { font-size: 15px; margin: 20px 0 6px; }
p.source { color: #57606a; margin: 0 0 12px; }
nav a { margin-right: 14px; color: #0a58ca; }
table { border-collapse: collapse; margin: 6px 0 10px; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; white-space: nowrap; }
th { background: #eef1f4; text-align: center; }
td.num { text-align: right; }
tr.total td { font-weight: bold; background: #f6f8fa; }
td.verdict { font-weight: bold; text-align: center; }
td.holds { background: #dafbe1; color: #116329; }
td.does-not-hold { background: #ffebe9; color: #a40e26; }
td.inconclusive { background: #fff8c5; color: #6b5300; }
p.note, p.rule { color: #424a53; font-size: 13px; max-width: 1080px; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
figure { margin: 8px 0; }
figure svg { max-width: 100%; height: auto; border: 1px solid #e1e4e8; }
figcaption { font-size: 12px; color: #57606a; }
`;

/** Inline SVG needs no namespace declaration in HTML; dropping it leaves no URL in the page. */
function inlineSvg(svg: string): string {
  return svg.replace(/\s+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '').trim();
}

/** Cells that start with a number, a sign or an interval are right-aligned. */
const NUMERIC = /^([-+−]?\d|\[)/;

function htmlTable(
  table: ReportTable,
  cellClass?: (row: number, column: number) => string,
): string {
  const head = `<tr>${table.header.map((h) => `<th>${escapeXml(h)}</th>`).join('')}</tr>`;
  const rows = table.rows.map((cells, r) => {
    const tds = cells
      .map((c, col) => {
        const cls = cellClass?.(r, col) || (NUMERIC.test(c) ? 'num' : '');
        return `<td${cls ? ` class="${cls}"` : ''}>${escapeXml(c)}</td>`;
      })
      .join('');
    return `<tr${r === table.totalRow ? ' class="total"' : ''}>${tds}</tr>`;
  });
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

/**
 * The report as one self-contained HTML page: the tables, the not-converged note, the verdicts
 * with their rule, the learning curves and the Fig. 4-style panels, every image inline (SVG, with
 * slices as PNG data URIs). It references no file and no URL, so it opens offline, anywhere.
 *
 * @example
 * await writeFileAtomic('report.html', renderHtml({ report, figures, curves, source: 'phantom 16³' }));
 */
export function renderHtml(input: {
  report: Report;
  figures: readonly FigureSvg[];
  curves: readonly CurveChart[];
  /** Where the data came from, shown under the heading. */
  source?: string;
}): string {
  const { report, figures, curves } = input;
  const body: string[] = ['<h1>RPDL reproduction report</h1>'];
  if (input.source) body.push(`<p class="source">Data: ${escapeXml(input.source)}</p>`);
  const tables = reportTables(report);
  const verdicts = verdictTable(report);
  const links = [
    tables.length > 0 ? '<a href="#tables">Tables</a>' : '',
    verdicts ? '<a href="#verdicts">Verdicts</a>' : '',
    curves.length > 0 ? '<a href="#curves">Learning curves</a>' : '',
    figures.length > 0 ? '<a href="#panels">Panels</a>' : '',
  ].filter(Boolean);
  if (links.length > 0) body.push(`<nav>${links.join('')}</nav>`);
  if (tables.length === 0) body.push('<p>No finished runs yet.</p>');
  else {
    body.push('<section id="tables">', '<h2>Tables</h2>');
    for (const table of tables) body.push(`<h3>${escapeXml(table.title)}</h3>`, htmlTable(table));
    const note = notConvergedNote(report);
    if (note) body.push(`<p class="note">${escapeXml(note)}</p>`);
    body.push('</section>');
  }
  if (verdicts) {
    const verdictColumn = verdicts.header.length - 1;
    body.push(
      '<section id="verdicts">',
      `<h2>${escapeXml(verdicts.title)}</h2>`,
      htmlTable(verdicts, (row, column) => {
        if (column !== verdictColumn) return '';
        return `verdict ${verdicts.rows[row]![column]!.replaceAll(' ', '-')}`;
      }),
      `<p class="rule">Rule: ${escapeXml(VERDICT_RULE)}</p>`,
      '</section>',
    );
  }
  if (curves.length > 0) {
    body.push('<section id="curves">', '<h2>Learning curves</h2>', '<div class="charts">');
    for (const chart of curves) body.push(`<figure>${inlineSvg(chart.svg)}</figure>`);
    body.push('</div>', '</section>');
  }
  if (figures.length > 0) {
    body.push('<section id="panels">', '<h2>Fig. 4-style panels (Experiment 1)</h2>');
    for (const figure of figures)
      body.push(
        `<figure>${inlineSvg(figure.svg)}<figcaption>figures/${escapeXml(figure.name)}.png</figcaption></figure>`,
      );
    body.push('</section>');
  }
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>RPDL reproduction report</title>',
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    ...body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
