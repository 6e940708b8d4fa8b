import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** The output directory cannot be created or written. */
export class OutputDirectoryError extends Error {
  override name = 'OutputDirectoryError';
}

async function nearestExisting(path: string): Promise<string> {
  let current = resolve(path);
  for (;;) {
    try {
      await stat(current);
      return current;
    } catch {
      const parent = dirname(current);
      if (parent === current) return current;
      current = parent;
    }
  }
}

/**
 * Creates the output directory (with its parents) and checks that it can be written, naming the
 * directory at fault. Node's recursive `mkdir` reports a read-only parent as `ENOENT`, which
 * reads as if the path were wrong, so on failure the nearest existing ancestor is examined.
 *
 * @example
 * await prepareOutputDirectory('runs/quick');
 */
export async function prepareOutputDirectory(out: string): Promise<void> {
  try {
    await mkdir(out, { recursive: true });
  } catch (error) {
    const ancestor = await nearestExisting(out);
    const info = await stat(ancestor);
    if (!info.isDirectory()) {
      throw new OutputDirectoryError(
        `cannot create the output directory ${out}: ${ancestor} is a file, not a directory`,
      );
    }
    // The ancestor's own access check gives the real reason (EACCES, EROFS) that mkdir hid.
    const code = await access(ancestor, constants.W_OK).then(
      () => (error as NodeJS.ErrnoException).code ?? 'unknown error',
      (denied: NodeJS.ErrnoException) => denied.code ?? 'unknown error',
    );
    throw new OutputDirectoryError(
      `cannot create the output directory ${out}: ${ancestor} is not writable (${code}); choose a writable --out`,
    );
  }
  const info = await stat(out);
  if (!info.isDirectory()) {
    throw new OutputDirectoryError(`the output directory ${out} is a file, not a directory`);
  }
  try {
    await access(out, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new OutputDirectoryError(
      `the output directory ${out} is not writable (${code}); choose a writable --out`,
    );
  }
}
