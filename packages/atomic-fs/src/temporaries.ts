import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** The name pattern of writeFileAtomic's temporaries: `.<name>.<pid>.<8 hex>.tmp`. */
const TEMPORARY = /^\..+\.\d+\.[0-9a-f]{8}\.tmp$/;

/**
 * Whether a file name is one of {@link writeFileAtomic}'s temporaries.
 *
 * @example
 * isAtomicTemporary('.log.csv.4242.0badf00d.tmp'); // true
 */
export function isAtomicTemporary(name: string): boolean {
  return TEMPORARY.test(name);
}

/**
 * Removes the temporaries that writes killed half-way left in `dir` and below; returns the paths
 * removed. Call it only while no other process writes there (e.g. under an exclusive lock): a live
 * writer's temporary looks the same.
 *
 * @example
 * await removeAtomicTemporaries('runs/exp1/unet3d/dl/fold-0');
 */
export async function removeAtomicTemporaries(dir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(dir, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const removed: string[] = [];
  for (const entry of entries.sort()) {
    const name = entry.split(/[\\/]/).pop()!;
    if (!isAtomicTemporary(name)) continue;
    await rm(join(dir, entry), { force: true });
    removed.push(join(dir, entry));
  }
  return removed;
}
