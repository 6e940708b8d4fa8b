import { join } from 'node:path';
import type { NpyArray } from './npy.js';
import { loadNpy, saveNpy } from './npy-file.js';
import type { DatasetLayout } from './splits.js';

/** The largest anatomical label of the CM inputs (labels are 0..13). */
export const MAX_LABEL = 13;

/**
 * A multi-annotator volume dataset in the CM layout: B bones (inputs), each annotated by the
 * same S surgeons; row = bone·S + surgeon.
 */
export interface CmDataset {
  layout: { bones: number; surgeons: number };
  /** [D, H, W] of every volume. */
  spatialShape: [number, number, number];
  /** One label volume per bone, C order, values 0..13. */
  inputs: Int8Array[];
  /** One binary volume per row, C order. */
  masks: Uint8Array[];
}

/** Thrown when files or arrays do not form a valid CM dataset. */
export class CmDatasetError extends Error {
  override name = 'CmDatasetError';
}

export interface LoadCmDatasetOptions {
  /** File name of the label volumes inside `dir` (default `x9_7.npy`). */
  inputs?: string;
  /** File name of the binary drilled regions inside `dir` (default `y9_7.npy`). */
  masks?: string;
  /**
   * Bones × surgeons. When omitted, S is the number of leading rows that repeat row 0's input
   * (7 for the published files) and B = rows / S.
   */
  layout?: DatasetLayout;
}

const INTEGER_DTYPES = new Set(['int8', 'uint8', 'int16', 'int32']);

/**
 * Loads a CM dataset from `dir`: `x9_7.npy` (R, D, H, W) integer labels 0..13 and `y9_7.npy`
 * (R, D, H, W) binary masks, row = bone·S + surgeon. Checks both shapes, the label range, that
 * masks are binary and that each bone's S rows share one input.
 *
 * @throws CmDatasetError naming the file and what was wrong; NpyFormatError for unreadable files.
 *
 * @example
 * const data = await loadCmDataset('cm_data');
 * data.layout; // { bones: 9, surgeons: 7 }
 */
export async function loadCmDataset(
  dir: string,
  options: LoadCmDatasetOptions = {},
): Promise<CmDataset> {
  const xName = options.inputs ?? 'x9_7.npy';
  const yName = options.masks ?? 'y9_7.npy';
  const x = await loadNpy(join(dir, xName));
  const y = await loadNpy(join(dir, yName));
  return cmDatasetFromArrays(x, y, { layout: options.layout, names: [xName, yName] });
}

/**
 * Builds and validates a {@link CmDataset} from the two (R, D, H, W) arrays of the file layout.
 *
 * @example
 * const data = cmDatasetFromArrays(readNpy(xBytes), readNpy(yBytes));
 */
export function cmDatasetFromArrays(
  x: NpyArray,
  y: NpyArray,
  options: { layout?: DatasetLayout | undefined; names?: [string, string] } = {},
): CmDataset {
  const [xName, yName] = options.names ?? ['inputs', 'masks'];
  for (const [name, a] of [
    [xName, x],
    [yName, y],
  ] as const) {
    if (a.shape.length !== 4) {
      throw new CmDatasetError(
        `${name}: expected shape (rows, D, H, W), got (${a.shape.join(', ')})`,
      );
    }
    if (!INTEGER_DTYPES.has(a.dtype)) {
      throw new CmDatasetError(
        `${name}: expected integer labels (int8 in the published files), got ${a.dtype}`,
      );
    }
  }
  if (x.shape.join() !== y.shape.join()) {
    throw new CmDatasetError(
      `${xName} shape (${x.shape.join(', ')}) differs from ${yName} shape (${y.shape.join(', ')})`,
    );
  }
  const [rows, d, h, w] = x.shape as [number, number, number, number];
  const voxels = d * h * w;
  if (rows === 0 || voxels === 0) {
    throw new CmDatasetError(`${xName}: empty array of shape (${x.shape.join(', ')})`);
  }
  const layout = options.layout ?? inferLayout(x.data, rows, voxels);
  if (
    !Number.isInteger(layout.bones) ||
    !Number.isInteger(layout.surgeons) ||
    layout.bones < 1 ||
    layout.surgeons < 1 ||
    layout.bones * layout.surgeons !== rows
  ) {
    throw new CmDatasetError(
      `layout ${layout.bones} bones × ${layout.surgeons} surgeons does not match ${rows} rows`,
    );
  }
  const inputs: Int8Array[] = [];
  for (let b = 0; b < layout.bones; b++) {
    const first = b * layout.surgeons;
    const base = first * voxels;
    const input = new Int8Array(voxels);
    for (let i = 0; i < voxels; i++) {
      const v = x.data[base + i]!;
      if (v < 0 || v > MAX_LABEL) {
        throw new CmDatasetError(
          `${xName}: row ${first} voxel ${i} has label ${v}; labels must be in 0..${MAX_LABEL}`,
        );
      }
      input[i] = v;
    }
    for (let s = 1; s < layout.surgeons; s++) {
      const off = (first + s) * voxels;
      for (let i = 0; i < voxels; i++) {
        if (x.data[off + i] !== input[i]) {
          throw new CmDatasetError(
            `${xName}: row ${first + s} differs from row ${first} at voxel ${i}; the ${layout.surgeons} rows of bone ${b} must share one input`,
          );
        }
      }
    }
    inputs.push(input);
  }
  const masks: Uint8Array[] = [];
  for (let r = 0; r < rows; r++) {
    const off = r * voxels;
    const mask = new Uint8Array(voxels);
    for (let i = 0; i < voxels; i++) {
      const v = y.data[off + i]!;
      if (v !== 0 && v !== 1) {
        throw new CmDatasetError(
          `${yName}: row ${r} voxel ${i} is ${v}; masks must be binary (0 or 1)`,
        );
      }
      mask[i] = v;
    }
    masks.push(mask);
  }
  return { layout: { ...layout }, spatialShape: [d, h, w], inputs, masks };
}

function inferLayout(data: ArrayLike<number>, rows: number, voxels: number): DatasetLayout {
  let surgeons = 1;
  outer: while (surgeons < rows) {
    const off = surgeons * voxels;
    for (let i = 0; i < voxels; i++) if (data[off + i] !== data[i]) break outer;
    surgeons++;
  }
  if (rows % surgeons !== 0) {
    throw new CmDatasetError(
      `cannot infer the layout: row 0's input repeats ${surgeons} times but ${rows} rows is not a multiple; pass options.layout`,
    );
  }
  return { bones: rows / surgeons, surgeons };
}

/**
 * Checks a {@link CmDataset} built in memory: counts match the layout, every volume has the
 * spatial size, labels are 0..13 and masks binary.
 *
 * @throws CmDatasetError describing the first problem found.
 *
 * @example
 * validateCmDataset(generatePhantom({ size: 16, bones: 2, surgeons: 3, seed: 1 }));
 */
export function validateCmDataset(dataset: CmDataset): void {
  const { layout, spatialShape, inputs, masks } = dataset;
  if (
    !Number.isInteger(layout?.bones) ||
    !Number.isInteger(layout?.surgeons) ||
    layout.bones < 1 ||
    layout.surgeons < 1
  ) {
    throw new CmDatasetError('layout must have positive integer bones and surgeons');
  }
  if (
    !Array.isArray(spatialShape) ||
    spatialShape.length !== 3 ||
    !spatialShape.every((n) => Number.isInteger(n) && n > 0)
  ) {
    throw new CmDatasetError(`spatialShape must be three positive integers, got ${spatialShape}`);
  }
  const voxels = spatialShape[0] * spatialShape[1] * spatialShape[2];
  if (inputs.length !== layout.bones) {
    throw new CmDatasetError(
      `expected ${layout.bones} inputs (one per bone), got ${inputs.length}`,
    );
  }
  const rows = layout.bones * layout.surgeons;
  if (masks.length !== rows) {
    throw new CmDatasetError(`expected ${rows} masks (bones × surgeons), got ${masks.length}`);
  }
  inputs.forEach((input, b) => {
    if (!(input instanceof Int8Array) || input.length !== voxels) {
      throw new CmDatasetError(`inputs[${b}] must be an Int8Array of ${voxels} voxels`);
    }
    for (let i = 0; i < voxels; i++) {
      if (input[i]! < 0 || input[i]! > MAX_LABEL) {
        throw new CmDatasetError(
          `inputs[${b}][${i}] = ${input[i]}; labels must be in 0..${MAX_LABEL}`,
        );
      }
    }
  });
  masks.forEach((mask, r) => {
    if (!(mask instanceof Uint8Array) || mask.length !== voxels) {
      throw new CmDatasetError(`masks[${r}] must be a Uint8Array of ${voxels} voxels`);
    }
    for (let i = 0; i < voxels; i++) {
      if (mask[i]! > 1)
        throw new CmDatasetError(`masks[${r}][${i}] = ${mask[i]}; masks must be binary`);
    }
  });
}

export interface WriteCmDatasetOptions {
  /** File names inside `dir` (defaults `x9_7.npy`, `y9_7.npy`). */
  inputs?: string;
  masks?: string;
}

/**
 * Writes a dataset as the two int8 files of the published layout: inputs repeated once per
 * surgeon, row = bone·S + surgeon. Each file is written atomically.
 *
 * @example
 * await writeCmDataset('data/phantom', generatePhantom({ size: 64, bones: 9, surgeons: 7, seed: 1 }));
 */
export async function writeCmDataset(
  dir: string,
  dataset: CmDataset,
  options: WriteCmDatasetOptions = {},
): Promise<void> {
  validateCmDataset(dataset);
  const { layout, spatialShape } = dataset;
  const voxels = spatialShape[0] * spatialShape[1] * spatialShape[2];
  const rows = layout.bones * layout.surgeons;
  const x = new Int8Array(rows * voxels);
  const y = new Int8Array(rows * voxels);
  for (let r = 0; r < rows; r++) {
    x.set(dataset.inputs[Math.floor(r / layout.surgeons)]!, r * voxels);
    y.set(dataset.masks[r]!, r * voxels);
  }
  const shape = [rows, ...spatialShape];
  await saveNpy(join(dir, options.inputs ?? 'x9_7.npy'), {
    dtype: 'int8',
    shape,
    data: x,
    fortranOrder: false,
  });
  await saveNpy(join(dir, options.masks ?? 'y9_7.npy'), {
    dtype: 'int8',
    shape,
    data: y,
    fortranOrder: false,
  });
}
