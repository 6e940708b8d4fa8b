import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from './errors.js';

/** The files `--data` must hold (the published CM layout). */
export const DATA_FILES = Object.freeze(['x9_7.npy', 'y9_7.npy'] as const);

const EXPECTED = `expected a directory holding ${DATA_FILES.join(' and ')}`;

async function kindOf(path: string): Promise<'missing' | 'file' | 'directory' | 'other'> {
  try {
    const info = await stat(path);
    return info.isDirectory() ? 'directory' : info.isFile() ? 'file' : 'other';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw error;
  }
}

/**
 * Checks a `--data` directory before anything is loaded, so that a wrong path gets one clear
 * message (and exit status 2) instead of a raw `ENOENT`/`ENOTDIR` from deep inside the reader.
 *
 * @example
 * await checkDataDirectory('/data/cm'); // throws UsageError when x9_7.npy is missing
 */
export async function checkDataDirectory(dir: string): Promise<void> {
  const kind = await kindOf(dir);
  if (kind === 'missing') throw new UsageError(`--data ${dir} does not exist; ${EXPECTED}`);
  if (kind !== 'directory') throw new UsageError(`--data ${dir} is not a directory; ${EXPECTED}`);
  const missing: string[] = [];
  for (const file of DATA_FILES) {
    if ((await kindOf(join(dir, file))) !== 'file') missing.push(file);
  }
  if (missing.length > 0) {
    throw new UsageError(`--data ${dir} has no ${missing.join(' or ')}; ${EXPECTED}`);
  }
}
