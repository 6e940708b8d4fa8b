import { spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decodePng, greyVariance } from '../../test/decode-png.js';
import type { Comparison } from '../evaluation/evaluation.js';
import { panelSvg } from './panel-svg.js';
import { heatTile, labelTile, overlayTile } from './panels.js';
import { buildReport, type RunScores } from './report-data.js';
import { renderHtml } from './report-html.js';
import { learningCurveSvg } from './svg-plot.js';

const comparisons = (dice: number): Comparison[] => [
  { bone: 0, surgeon: 0, dice, rpd: dice + 0.05 },
  { bone: 0, surgeon: 1, dice: dice - 0.02, rpd: dice + 0.03 },
];
const folds = [0.52, 0.55, 0.6, 0.5, 0.58, 0.61, 0.57];
const report = buildReport({
  layout: { bones: 7, surgeons: 3 },
  runs: folds.flatMap((d, fold): RunScores[] => [
    { experiment: 1, model: 'unet3d', loss: 'dl', fold, comparisons: comparisons(d) },
    {
      experiment: 1,
      model: 'unet3d',
      loss: 'rpdl',
      fold,
      comparisons: comparisons(d + 0.03 + 0.01 * (fold % 2)),
      stopReason: fold === 3 ? 'max-epochs' : 'early-stopping',
      epochs: fold === 3 ? 40 : 25,
    },
  ]),
  baselines: folds.map((d, fold) => ({
    experiment: 1 as const,
    name: 'atlas' as const,
    fold,
    comparisons: comparisons(d - 0.1),
  })),
});
const labels = Array.from({ length: 64 }, (_, i) => (i * 7) % 14);
const counts = Array.from({ length: 64 }, (_, i) => Math.max(0, 3 - Math.abs((i % 8) - 4)));
const figure = {
  name: 'exp1-unet3d-bone1',
  title: 'Experiment 1 — U-net, held-out bone 1',
  svg: panelSvg({
    title: 'Experiment 1 — U-net, held-out bone 1',
    tiles: [
      labelTile('Input', labels, 8, 8, 13),
      heatTile('Annotator agreement', counts, 8, 8, 3),
      overlayTile(
        'RPDL prediction',
        labels,
        counts.map((c) => (c >= 2 ? 1 : 0)),
        8,
        8,
        13,
      ),
    ],
    scale: 12,
  }),
};
const history = Array.from({ length: 12 }, (_, i) => ({
  epoch: i + 1,
  loss: 1 / (i + 1),
  valLoss: 1.2 / (i + 1) + 0.05,
  lr: 1e-4,
  time: 3,
}));
const curves = [{ title: 'U-net RPDL', svg: learningCurveSvg('U-net RPDL, Bone1', history) }];
const html = renderHtml({ report, figures: [figure], curves, source: 'phantom 8³ <test>' });

describe('report.html', () => {
  it('holds the tables, the not-converged note, the verdicts with the rule, the curves and the panels', () => {
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain(
      '<h3>Table I — Experiment 1 (leave one bone out), per fold, Dice ± std</h3>',
    );
    expect(html).toContain('<h3>Table III — Experiment 1');
    expect(html).toContain('† Not converged: 1 run(s) ended at the epoch cap');
    expect(html).toMatch(/<td>U-net RPDL &gt; U-net DL<\/td><td class="num">7<\/td>/);
    expect(html).toContain('<td class="verdict holds">holds</td>');
    expect(html).toContain('Rule: Each claim pairs the per-fold mean Dice');
    expect(html).toContain('<section id="curves">');
    expect(html).toContain('U-net RPDL, Bone1');
    expect(html).toContain('<section id="panels">');
    expect(html).toContain('Data: phantom 8³ &lt;test&gt;');
    expect(html.match(/<svg /g)).toHaveLength(2);
  });

  it('is self-contained: no URL, and every reference is a data URI or an in-page anchor', () => {
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/\/\/[a-z0-9.-]+\.[a-z]{2,}\//i);
    const references = [...html.matchAll(/\b(?:href|src)="([^"]*)"/g)].map((m) => m[1]!);
    expect(references.length).toBeGreaterThan(0);
    for (const ref of references) expect(ref).toMatch(/^(data:image\/png;base64,|#)/);
    expect(html).not.toMatch(/<(script|link|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/url\(/);
  });

  it('is a pure function of its inputs (byte-identical for identical runs)', () => {
    expect(renderHtml({ report, figures: [figure], curves, source: 'phantom 8³ <test>' })).toBe(
      html,
    );
  });

  it('says so when there is nothing to show', () => {
    const empty = renderHtml({
      report: buildReport({ layout: { bones: 9, surgeons: 7 }, runs: [], baselines: [] }),
      figures: [],
      curves: [],
    });
    expect(empty).toContain('<p>No finished runs yet.</p>');
    expect(empty).not.toContain('<nav>');
  });
});

/** The first Chromium found on PATH (Debian's `chromium`, or a Chrome build under another name). */
function findChromium(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
      const file = join(dir, name);
      try {
        accessSync(file, constants.X_OK);
        return file;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

const chromium = findChromium();
if (!chromium)
  console.warn(
    'report.html screenshot test skipped: no chromium binary on PATH (apt-get install -y chromium; CI installs it)',
  );

describe.skipIf(!chromium)('report.html in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rpdl-report-html-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('renders to a non-blank 1200×2000 screenshot', () => {
    const page = join(dir, 'report.html');
    const shot = join(dir, 'screenshot.png');
    writeFileSync(page, html);
    const result = spawnSync(
      chromium!,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--hide-scrollbars',
        '--no-first-run',
        `--user-data-dir=${join(dir, 'profile')}`,
        `--screenshot=${shot}`,
        '--window-size=1200,2000',
        pathToFileURL(page).href,
      ],
      { encoding: 'utf8', timeout: 90_000 },
    );
    expect(existsSync(shot), `chromium exited ${result.status}: ${result.stderr}`).toBe(true);
    const image = decodePng(readFileSync(shot));
    expect([image.width, image.height]).toEqual([1200, 2000]);
    // A blank page is one flat colour (variance 0); text, tables and figures are far from it.
    expect(greyVariance(image)).toBeGreaterThan(200);
  }, 120_000);
});
