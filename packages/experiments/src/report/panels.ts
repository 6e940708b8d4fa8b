import type { RgbImage } from './png.js';

/** A key under a tile: coloured swatches with their meaning (e.g. a discrete colour scale). */
export interface TileLegend {
  caption: string;
  swatches: ReadonlyArray<{ rgb: readonly [number, number, number]; label: string }>;
}

/** One tile of a panel: a 2D slice turned into colours. */
export interface Tile {
  title: string;
  width: number;
  height: number;
  /** RGB per pixel, row-major. */
  rgb: Uint8Array;
  /** What the colours mean, drawn under the tile in a titled panel. */
  legend?: TileLegend;
}

/**
 * The heat colour scale: 0 black, rising through red to yellow at 1.
 *
 * @example
 * heatColor(0.5); // [255, 0, 0]
 */
export function heatColor(t: number): [number, number, number] {
  const c = Math.min(1, Math.max(0, t));
  return [Math.round(255 * Math.min(1, 2 * c)), Math.round(255 * Math.max(0, 2 * c - 1)), 0];
}

/** The colour of a predicted (drilled) voxel over the grey input. */
export const PREDICTION_RGB: readonly [number, number, number] = Object.freeze([
  230, 40, 40,
] as const);

/**
 * The middle slice (along the first axis) of a C-ordered D×H×W volume.
 *
 * @example
 * middleSlice(volume, [16, 16, 16]); // 256 values
 */
export function middleSlice(
  volume: ArrayLike<number>,
  shape: readonly [number, number, number],
  index?: number,
): Float32Array {
  const [d, h, w] = shape;
  if (volume.length !== d * h * w)
    throw new RangeError(`volume has ${volume.length} voxels, shape [${shape}] needs ${d * h * w}`);
  const z = index ?? Math.floor(d / 2);
  const out = new Float32Array(h * w);
  for (let i = 0; i < h * w; i++) out[i] = volume[z * h * w + i]!;
  return out;
}

/**
 * Grey levels for anatomical labels (0 black … maxLabel white), with a legend of three levels.
 *
 * @example
 * labelTile('input', slice, 16, 16, 13);
 */
export function labelTile(
  title: string,
  slice: ArrayLike<number>,
  width: number,
  height: number,
  maxLabel: number,
): Tile {
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    const v = Math.round((255 * Math.max(0, slice[i]!)) / Math.max(1, maxLabel));
    rgb.set([v, v, v], i * 3);
  }
  const top = Math.max(1, maxLabel);
  return {
    title,
    width,
    height,
    rgb,
    legend: {
      caption: 'anatomical label (grey level)',
      swatches: [0, Math.round(top / 2), top].map((label) => {
        const v = Math.round((255 * label) / top);
        return { rgb: [v, v, v] as const, label: String(label) };
      }),
    },
  };
}

/**
 * A heat tile: 0 black, rising through red to yellow at `max` (e.g. how many surgeons drilled a
 * voxel). For an integer `max` up to 20 (counts) it carries a legend with one swatch per count.
 *
 * @example
 * heatTile('surgeons', counts, 16, 16, 7);
 */
export function heatTile(
  title: string,
  slice: ArrayLike<number>,
  width: number,
  height: number,
  max: number,
): Tile {
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++)
    rgb.set(heatColor(slice[i]! / Math.max(1e-9, max)), i * 3);
  const tile: Tile = { title, width, height, rgb };
  if (Number.isInteger(max) && max >= 1 && max <= 20) {
    tile.legend = {
      caption: 'annotators who drilled the voxel',
      swatches: [...Array(max + 1).keys()].map((k) => ({
        rgb: heatColor(k / max),
        label: String(k),
      })),
    };
  }
  return tile;
}

/**
 * A binary mask drawn in red over a grey label slice.
 *
 * @example
 * overlayTile('RPDL', labels, prediction, 16, 16, 13);
 */
export function overlayTile(
  title: string,
  labels: ArrayLike<number>,
  mask: ArrayLike<number>,
  width: number,
  height: number,
  maxLabel: number,
): Tile {
  const base = labelTile(title, labels, width, height, maxLabel);
  for (let i = 0; i < width * height; i++) if (mask[i]) base.rgb.set(PREDICTION_RGB, i * 3);
  base.legend = {
    caption: 'over the input',
    swatches: [{ rgb: PREDICTION_RGB, label: 'predicted drilled' }],
  };
  return base;
}

/**
 * A tile enlarged by an integer factor (nearest neighbour, so voxels stay square and sharp).
 *
 * @example
 * scaleTile(tile, 8); // { width: tile.width * 8, height: tile.height * 8, pixels }
 */
export function scaleTile(tile: Tile, scale: number): RgbImage {
  if (!Number.isInteger(scale) || scale < 1)
    throw new RangeError(`scaleTile: scale must be a positive integer, got ${scale}`);
  const width = tile.width * scale;
  const height = tile.height * scale;
  const pixels = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const src = (Math.floor(y / scale) * tile.width + Math.floor(x / scale)) * 3;
      pixels.set(tile.rgb.subarray(src, src + 3), (y * width + x) * 3);
    }
  }
  return { width, height, pixels };
}

/**
 * Lays tiles side by side, each scaled by an integer factor, separated by white gutters, without
 * text (for a bare prediction image; `panelSvg` draws the titled, labelled panel).
 *
 * @example
 * const image = composePanel([inputTile, surgeonsTile, predictionTile], 4);
 */
export function composePanel(tiles: readonly Tile[], scale: number): RgbImage {
  if (tiles.length === 0) throw new RangeError('composePanel: need at least one tile');
  const gutter = 4;
  const height = Math.max(...tiles.map((t) => t.height)) * scale;
  const width = tiles.reduce((n, t) => n + t.width * scale, 0) + gutter * (tiles.length - 1);
  const pixels = new Uint8Array(width * height * 3).fill(255);
  let left = 0;
  for (const tile of tiles) {
    for (let y = 0; y < tile.height * scale; y++) {
      for (let x = 0; x < tile.width * scale; x++) {
        const src = (Math.floor(y / scale) * tile.width + Math.floor(x / scale)) * 3;
        pixels.set(tile.rgb.subarray(src, src + 3), (y * width + left + x) * 3);
      }
    }
    left += tile.width * scale + gutter;
  }
  return { width, height, pixels };
}
