import { SVG_FONT_FAMILY } from './fonts.js';
import { scaleTile, type Tile } from './panels.js';
import { encodePng } from './png.js';
import { escapeXml } from './xml.js';

const MARGIN = 16;
const GAP = 16;
const MIN_COLUMN = 170;
const TITLE_Y = 26;
const TILE_TITLE_Y = 54;
const LINE = 16;
/** Rough advance of a 13 px DejaVu Sans character, to keep titles from running into each other. */
const CHAR_WIDTH = 8;
const SWATCH = 14;

function hex([r, g, b]: readonly [number, number, number]): string {
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * A Fig. 4-style panel as a self-contained SVG: a heading, then one column per tile with its
 * title above (a `\n` in a title starts a second line), the slice (embedded as a PNG data URI, enlarged by `scale` with square voxels) and
 * its legend below (e.g. the annotator-agreement colour scale, the prediction colour). Text is
 * SVG text, so it stays sharp, searchable and readable by screen readers; rasterise with
 * `svgToPng` for a PNG.
 *
 * @example
 * const svg = panelSvg({ title: 'U-net, held-out bone 1', tiles, scale: 8 });
 */
export function panelSvg(options: {
  title: string;
  tiles: readonly Tile[];
  scale: number;
}): string {
  const { title, tiles, scale } = options;
  if (tiles.length === 0) throw new RangeError('panelSvg: need at least one tile');
  if (!Number.isInteger(scale) || scale < 1)
    throw new RangeError(`panelSvg: scale must be a positive integer, got ${scale}`);
  const titleLines = tiles.map((t) => t.title.split('\n'));
  const longest = Math.max(...titleLines.flat().map((line) => line.length));
  const column = Math.max(
    MIN_COLUMN,
    CHAR_WIDTH * longest + 8,
    ...tiles.map((t) => t.width * scale),
  );
  const tileTop = TILE_TITLE_Y + LINE * (Math.max(...titleLines.map((l) => l.length)) - 1) + 10;
  const tileHeight = Math.max(...tiles.map((t) => t.height * scale));
  const legendTop = tileTop + tileHeight + 10;
  const hasLegend = tiles.some((t) => t.legend);
  const height = legendTop + (hasLegend ? SWATCH + 36 : 0) + MARGIN;
  const width = 2 * MARGIN + tiles.length * column + (tiles.length - 1) * GAP;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${SVG_FONT_FAMILY}" role="img" aria-label="${escapeXml(title)}">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${MARGIN}" y="${TITLE_Y}" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  tiles.forEach((tile, i) => {
    const left = MARGIN + i * (column + GAP);
    const centre = left + column / 2;
    const image = scaleTile(tile, scale);
    const x = centre - image.width / 2;
    const data = Buffer.from(encodePng(image)).toString('base64');
    titleLines[i]!.forEach((line, k) => {
      parts.push(
        `<text x="${centre}" y="${TILE_TITLE_Y + LINE * k}" text-anchor="middle" font-size="13">${escapeXml(line)}</text>`,
      );
    });
    parts.push(
      `<image x="${x}" y="${tileTop}" width="${image.width}" height="${image.height}" style="image-rendering:pixelated" href="data:image/png;base64,${data}"/>`,
      `<rect x="${x - 0.5}" y="${tileTop - 0.5}" width="${image.width + 1}" height="${image.height + 1}" fill="none" stroke="#888"/>`,
    );
    if (!tile.legend) return;
    const { swatches, caption } = tile.legend;
    if (swatches.length === 1) {
      const swatch = swatches[0]!;
      const labelWidth = 7 * swatch.label.length;
      const sx = centre - (SWATCH + 6 + labelWidth) / 2;
      parts.push(
        `<rect x="${sx}" y="${legendTop}" width="${SWATCH}" height="${SWATCH}" fill="${hex(swatch.rgb)}" stroke="#555"/>`,
        `<text x="${sx + SWATCH + 6}" y="${legendTop + 11}" font-size="11">${escapeXml(swatch.label)}</text>`,
      );
    } else {
      const step = Math.min(20, (column - 8) / swatches.length);
      const sx = centre - (step * swatches.length) / 2;
      swatches.forEach((swatch, k) => {
        const cx = sx + k * step + step / 2;
        parts.push(
          `<rect x="${cx - SWATCH / 2}" y="${legendTop}" width="${SWATCH}" height="${SWATCH}" fill="${hex(swatch.rgb)}" stroke="#555"/>`,
          `<text x="${cx}" y="${legendTop + SWATCH + 12}" text-anchor="middle" font-size="10">${escapeXml(swatch.label)}</text>`,
        );
      });
    }
    parts.push(
      `<text x="${centre}" y="${legendTop + SWATCH + (swatches.length === 1 ? 14 : 27)}" text-anchor="middle" font-size="11" fill="#333">${escapeXml(caption)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
