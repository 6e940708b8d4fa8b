import type { EpochRecord } from '@rpdl/training';
import { SVG_FONT_FAMILY } from './fonts.js';
import { escapeXml } from './xml.js';

/** One line of a chart. */
export interface Series {
  label: string;
  color: string;
  points: ReadonlyArray<readonly [number, number]>;
}

/**
 * Integer tick positions covering [lo, hi]: every integer when at most `maxTicks` fit, otherwise
 * multiples of the smallest step in 1, 2, 5, 10, 20, 50, … that keeps the count ≤ `maxTicks`.
 *
 * @example
 * integerTicks(1, 6); // [1, 2, 3, 4, 5, 6]
 * integerTicks(1, 40); // [5, 10, 15, 20, 25, 30, 35, 40]
 */
export function integerTicks(lo: number, hi: number, maxTicks = 8): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi)
    throw new RangeError(`integerTicks: need finite lo ≤ hi, got ${lo} and ${hi}`);
  if (!Number.isInteger(maxTicks) || maxTicks < 1)
    throw new RangeError(`integerTicks: maxTicks must be a positive integer, got ${maxTicks}`);
  for (let magnitude = 1; ; magnitude *= 10) {
    for (const m of [1, 2, 5]) {
      const step = m * magnitude;
      const first = Math.ceil(lo / step);
      const last = Math.floor(hi / step);
      if (last - first + 1 <= maxTicks) {
        const ticks: number[] = [];
        for (let k = first; k <= last; k++) ticks.push(k * step);
        return ticks;
      }
    }
  }
}

/**
 * A self-contained SVG line chart (axes, ticks, legend), no dependencies.
 *
 * @example
 * lineChart({ title: 'loss', xLabel: 'epoch', series: [{ label: 'loss', color: '#1f77b4', points: [[1, 0.9], [2, 0.7]] }] });
 */
export function lineChart(options: {
  title: string;
  xLabel: string;
  yLabel?: string;
  series: readonly Series[];
  width?: number;
  height?: number;
  /** Ticks on the x axis only at integers (e.g. epochs). */
  integerX?: boolean;
  /** Legend beside the plot instead of over its top-right corner (for many series). */
  legendOutside?: boolean;
}): string {
  const width = options.width ?? 640;
  const height = options.height ?? 400;
  const margin = { left: 64, right: options.legendOutside ? 112 : 16, top: 36, bottom: 48 };
  const all = options.series
    .flatMap((s) => s.points)
    .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => y);
  let [x0, x1] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  let [y0, y1] = ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  if (y0 === y1) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  const pad = (y1 - y0) * 0.05;
  y0 -= pad;
  y1 += pad;
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const sx = (x: number) => margin.left + ((x - x0) / (x1 - x0)) * plotW;
  const sy = (y: number) => margin.top + (1 - (y - y0) / (y1 - y0)) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${SVG_FONT_FAMILY}" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(options.title)}</text>`,
    `<line x1="${margin.left}" y1="${margin.top + plotH}" x2="${margin.left + plotW}" y2="${margin.top + plotH}" stroke="black"/>`,
    `<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${margin.top + plotH}" stroke="black"/>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const yv = y0 + ((y1 - y0) * i) / 4;
    parts.push(
      `<text x="${margin.left - 6}" y="${sy(yv) + 4}" text-anchor="end">${Number(yv.toPrecision(3))}</text>`,
      `<line x1="${margin.left}" y1="${sy(yv)}" x2="${margin.left + plotW}" y2="${sy(yv)}" stroke="#ddd"/>`,
    );
  }
  const xTicks = options.integerX
    ? integerTicks(x0, x1)
    : [0, 1, 2, 3, 4].map((i) => Number((x0 + ((x1 - x0) * i) / 4).toPrecision(3)));
  for (const xv of xTicks) {
    parts.push(
      `<line x1="${sx(xv)}" y1="${margin.top + plotH}" x2="${sx(xv)}" y2="${margin.top + plotH + 4}" stroke="black"/>`,
      `<text x="${sx(xv)}" y="${margin.top + plotH + 16}" text-anchor="middle">${xv}</text>`,
    );
  }
  parts.push(
    `<text x="${margin.left + plotW / 2}" y="${height - 10}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
  );
  if (options.yLabel) {
    parts.push(
      `<text transform="translate(14 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`,
    );
  }
  options.series.forEach((s, i) => {
    const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (pts.length > 0) {
      const d = pts
        .map(([x, y], j) => `${j === 0 ? 'M' : 'L'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`)
        .join(' ');
      parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
      for (const [x, y] of pts)
        parts.push(
          `<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="2.5" fill="${s.color}"/>`,
        );
    }
    const ly = margin.top + 8 + i * 16;
    const lx = options.legendOutside ? margin.left + plotW + 12 : margin.left + plotW - 120;
    parts.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 20}" y2="${ly}" stroke="${s.color}" stroke-width="2"/>`,
      `<text x="${lx + 26}" y="${ly + 4}">${escapeXml(s.label)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/**
 * A run's learning curve (training and validation loss per epoch) as SVG.
 *
 * @example
 * await writeFileAtomic('learning-curve.svg', learningCurveSvg('exp1/unet3d/dl/fold-0', history));
 */
export function learningCurveSvg(title: string, history: readonly EpochRecord[]): string {
  return lineChart({
    title,
    xLabel: 'epoch',
    yLabel: 'loss',
    integerX: true,
    series: [
      { label: 'loss', color: '#1f77b4', points: history.map((r) => [r.epoch, r.loss] as const) },
      {
        label: 'val_loss',
        color: '#d62728',
        points: history.map((r) => [r.epoch, r.valLoss] as const),
      },
    ],
  });
}
