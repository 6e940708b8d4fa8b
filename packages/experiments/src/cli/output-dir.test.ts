import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputDirectoryError, prepareOutputDirectory } from './output-dir.js';

/**
 * A directory this process cannot write: chmod 0500 for a normal user; for root (whom modes do
 * not stop: CI and development machines run as root here) a read-only tmpfs. Undefined when
 * neither can be had.
 */
async function readOnlyDirectory(): Promise<
  { dir: string; code: string; undo: () => void } | undefined
> {
  const dir = join(await mkdtemp(join(tmpdir(), 'rpdl-ro-')), 'ro');
  await mkdir(dir);
  if (process.getuid?.() !== 0) {
    await chmod(dir, 0o500);
    return { dir, code: 'EACCES', undo: () => {} };
  }
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  return { dir, code: 'EROFS', undo: () => execFileSync('umount', [dir]) };
}

describe('prepareOutputDirectory', () => {
  it('creates the directory with its parents', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'rpdl-out-')), 'a', 'b');
    await prepareOutputDirectory(out);
    await prepareOutputDirectory(out);
  });

  it('names the read-only directory and the real reason, not a misleading ENOENT', async (context) => {
    const ro = await readOnlyDirectory();
    if (ro === undefined) return context.skip();
    try {
      const below = join(ro.dir, 'runs', 'quick');
      await expect(prepareOutputDirectory(below)).rejects.toThrow(
        new OutputDirectoryError(
          `cannot create the output directory ${below}: ${ro.dir} is not writable (${ro.code}); choose a writable --out`,
        ),
      );
      await expect(prepareOutputDirectory(ro.dir)).rejects.toThrow(
        `the output directory ${ro.dir} is not writable (${ro.code}); choose a writable --out`,
      );
    } finally {
      ro.undo();
    }
  });

  it('names a file that stands where a directory should be', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rpdl-out-'));
    await writeFile(join(dir, 'f'), 'x');
    await expect(prepareOutputDirectory(join(dir, 'f'))).rejects.toThrow(
      `cannot create the output directory ${join(dir, 'f')}: ${join(dir, 'f')} is a file, not a directory`,
    );
    await expect(prepareOutputDirectory(join(dir, 'f', 'g'))).rejects.toThrow(
      `cannot create the output directory ${join(dir, 'f', 'g')}: ${join(dir, 'f')} is a file, not a directory`,
    );
  });
});
