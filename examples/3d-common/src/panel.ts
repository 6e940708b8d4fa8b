import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PNG } from 'pngjs';

/** One volume slice panel: what the network saw, what the surgeons did, what it predicted. */
export interface PanelVolumes {
  /** Side of the cubic volumes. */
  size: number;
  /** Anatomical labels 0–13 of the bone, C order. */
  labels: Int8Array;
  /** Per voxel, how many of the bone's surgeons drilled it (0..surgeons). */
  counts: Uint16Array;
  surgeons: number;
  /** The network's probabilities. */
  probabilities: Float32Array;
}

type Rgb = [number, number, number];

// Air, bone, then the structures a surgeon must keep clear of, each its own hue.
const LABEL_COLOURS: readonly Rgb[] = [
  [0, 0, 0],
  [200, 190, 170],
  [230, 60, 60],
  [60, 90, 230],
  [240, 200, 40],
  [60, 190, 90],
  [200, 80, 210],
  [40, 200, 210],
  [250, 140, 40],
  [140, 100, 60],
  [150, 150, 250],
  [250, 150, 180],
  [120, 200, 40],
  [255, 255, 255],
];

/**
 * The axial slice (index on the first axis) where the surgeons drilled the most voxels, so the
 * panel shows the interesting part of the bone.
 *
 * @example
 * busiestSlice(counts, 16); // e.g. 9
 */
export function busiestSlice(counts: Uint16Array, size: number): number {
  const plane = size * size;
  let best = Math.floor(size / 2);
  let bestTotal = -1;
  for (let z = 0; z < size; z++) {
    let total = 0;
    for (let i = z * plane; i < (z + 1) * plane; i++) total += counts[i]!;
    if (total > bestTotal) {
      bestTotal = total;
      best = z;
    }
  }
  return best;
}

/**
 * Renders slice `z` as three tiles side by side: the input labels; the surgeons' drilled
 * regions as a heat map of how many drilled each voxel (bone grey underneath); the predicted
 * probability on the same scale, with voxels above 0.5 outlined in white.
 *
 * @returns an encoded PNG.
 * @example
 * const png = renderPanel(volumes, busiestSlice(volumes.counts, volumes.size));
 */
export function renderPanel(volumes: PanelVolumes, z: number): Buffer {
  const { size, labels, counts, probabilities, surgeons } = volumes;
  const voxels = size ** 3;
  for (const [what, length] of [
    ['labels', labels.length],
    ['counts', counts.length],
    ['probabilities', probabilities.length],
  ] as const) {
    if (length !== voxels) {
      throw new RangeError(
        `renderPanel: ${what} has ${length} values, expected ${size}³ = ${voxels}`,
      );
    }
  }
  if (!Number.isInteger(z) || z < 0 || z >= size) {
    throw new RangeError(`renderPanel: slice ${z} is outside 0..${size - 1}`);
  }
  const scale = Math.max(1, Math.round(192 / size));
  const tile = size * scale;
  const gap = 4;
  const png = new PNG({ width: 3 * tile + 2 * gap, height: tile });
  png.data.fill(255);
  const at = (row: number, col: number) => z * size * size + row * size + col;
  const bone = (i: number): Rgb => (labels[i]! === 0 ? [0, 0, 0] : [70, 70, 70]);
  const tiles: Array<(row: number, col: number) => Rgb> = [
    (row, col) => LABEL_COLOURS[labels[at(row, col)]!] ?? [255, 0, 255],
    (row, col) => {
      const i = at(row, col);
      return counts[i]! === 0 ? bone(i) : heat(counts[i]! / surgeons);
    },
    (row, col) => {
      const i = at(row, col);
      const p = probabilities[i]!;
      if (p >= 0.5 && isEdge(probabilities, size, z, row, col)) return [255, 255, 255];
      return p < 0.05 ? bone(i) : heat(p);
    },
  ];
  tiles.forEach((colour, t) => {
    for (let y = 0; y < tile; y++) {
      for (let x = 0; x < tile; x++) {
        const [r, g, b] = colour(Math.floor(y / scale), Math.floor(x / scale));
        const o = (y * png.width + t * (tile + gap) + x) * 4;
        png.data[o] = r;
        png.data[o + 1] = g;
        png.data[o + 2] = b;
        png.data[o + 3] = 255;
      }
    }
  });
  return PNG.sync.write(png);
}

/**
 * Renders the busiest slice and writes it to `path` atomically (temporary file, then rename).
 *
 * @returns the slice index shown.
 * @example
 * await writePanel('unet3d-rpdl.png', volumes);
 */
export async function writePanel(path: string, volumes: PanelVolumes): Promise<number> {
  const z = busiestSlice(volumes.counts, volumes.size);
  const png = renderPanel(volumes, z);
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, png);
  await rename(temporary, path);
  return z;
}

/** Dark red → yellow as t goes 0 → 1. */
function heat(t: number): Rgb {
  const v = Math.min(1, Math.max(0, t));
  return [Math.round(120 + 135 * v), Math.round(30 + 225 * v * v), Math.round(20 * (1 - v))];
}

function isEdge(p: Float32Array, size: number, z: number, row: number, col: number): boolean {
  const plane = z * size * size;
  for (const [dr, dc] of [
    [-1, 0],
    [1, 0],
    [0, -1],
    [0, 1],
  ] as const) {
    const r = row + dr;
    const c = col + dc;
    if (r < 0 || c < 0 || r >= size || c >= size) return true;
    if (p[plane + r * size + c]! < 0.5) return true;
  }
  return false;
}
