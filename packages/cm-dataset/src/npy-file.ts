import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '@rpdl/atomic-fs';
import { type NpyArray, NpyFormatError, readNpy, writeNpy } from './npy.js';

/**
 * Reads a `.npy` file from disk (see {@link readNpy} for what is accepted).
 *
 * @throws NpyFormatError naming the file when its content is not a supported `.npy` array.
 *
 * @example
 * const labels = await loadNpy('cm_data/x9_7.npy');
 * labels.shape; // [63, 64, 64, 64]
 */
export async function loadNpy(path: string): Promise<NpyArray> {
  const bytes = await readFile(path);
  try {
    return readNpy(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    if (error instanceof NpyFormatError) throw new NpyFormatError(`${path}: ${error.message}`);
    throw error;
  }
}

/**
 * Writes an array as a `.npy` file atomically (temporary file + rename).
 *
 * @example
 * await saveNpy('out/mask.npy', { dtype: 'uint8', shape: [2, 2], data: Uint8Array.of(0, 1, 1, 0), fortranOrder: false });
 */
export async function saveNpy(path: string, array: NpyArray): Promise<void> {
  await writeFileAtomic(path, writeNpy(array));
}
