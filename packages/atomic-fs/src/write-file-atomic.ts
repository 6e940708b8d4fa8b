import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `data` to `path` so that a reader (or a process killed half-way) sees either the old file
 * or the complete new one, never a torn write: the bytes go to a hidden temporary sibling first,
 * which is then renamed over the target (rename is atomic within one file system). Creates the
 * parent directory when missing. A failure names `path` (its `path` property too), not the
 * temporary.
 *
 * @example
 * await writeFileAtomic('runs/exp1/config.json', JSON.stringify(config));
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw namingTarget(error, path);
  }
}

/**
 * A failed write names its temporary (or, for `write` itself, no file at all: Node's ENOSPC reads
 * "no space left on device, write"); the caller knows the target, so the error names that.
 */
function namingTarget(error: unknown, path: string): unknown {
  const errno = error as NodeJS.ErrnoException;
  if (!(error instanceof Error) || typeof errno.code !== 'string') return error;
  errno.path = path;
  errno.syscall = 'write';
  error.message = `${errno.code}: cannot write ${path} (${error.message})`;
  return error;
}

/**
 * Writes a value as pretty-printed JSON with a final newline, atomically (see
 * {@link writeFileAtomic}).
 *
 * @example
 * await writeJsonAtomic('runs/exp1/metrics.json', { dice: [0.7, 0.8] });
 */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
