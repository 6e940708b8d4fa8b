import type { RgbImage } from './png.js';

/** One tile of a panel: a 2D slice turned into colours. */
export interface Tile {
  title: string;
  width: number;
  height: number;
  /** RGB per pixel, row-major. */
  rgb: Uint8Array;
}

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
 * Grey levels for anatomical labels (0 … maxLabel).
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
  return { title, width, height, rgb };
}

/**
 * A heat tile: 0 black, rising through red to yellow at `max` (e.g. how many surgeons drilled a voxel).
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
  for (let i = 0; i < width * height; i++) {
    const t = Math.min(1, Math.max(0, slice[i]! / Math.max(1e-9, max)));
    rgb.set(
      [Math.round(255 * Math.min(1, 2 * t)), Math.round(255 * Math.max(0, 2 * t - 1)), 0],
      i * 3,
    );
  }
  return { title, width, height, rgb };
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
  for (let i = 0; i < width * height; i++) if (mask[i]) base.rgb.set([230, 40, 40], i * 3);
  return base;
}

/**
 * Lays tiles side by side, each scaled by an integer factor, separated by white gutters. (Titles
 * go into the file name or caption; the image carries no text.)
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
