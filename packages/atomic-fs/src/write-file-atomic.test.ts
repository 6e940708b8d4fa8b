import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic, writeJsonAtomic } from './write-file-atomic.js';

async function scratch(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'rpdl-atomic-'));
}

describe('writeFileAtomic', () => {
  it('writes bytes and text, creating parent directories', async () => {
    const dir = await scratch();
    await writeFileAtomic(join(dir, 'a/b/c.bin'), new Uint8Array([1, 2, 3]));
    expect([...(await readFile(join(dir, 'a/b/c.bin')))]).toEqual([1, 2, 3]);
    await writeFileAtomic(join(dir, 'note.txt'), 'hello');
    expect(await readFile(join(dir, 'note.txt'), 'utf8')).toBe('hello');
  });

  it('replaces an existing file and leaves no temporary behind', async () => {
    const dir = await scratch();
    const path = join(dir, 'x.json');
    await writeFile(path, 'old');
    await writeJsonAtomic(path, { a: 1 });
    expect(await readFile(path, 'utf8')).toBe('{\n  "a": 1\n}\n');
    expect(await readdir(dir)).toEqual(['x.json']);
  });

  it('keeps the old file and removes the temporary when the rename fails', async () => {
    const dir = await scratch();
    // A directory at the target path makes rename fail after the temporary was written.
    const target = join(dir, 'taken');
    await writeFileAtomic(join(target, 'inner'), 'x');
    await expect(writeFileAtomic(target, 'new')).rejects.toThrow();
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('fails loudly in a read-only directory', async () => {
    if (process.getuid?.() === 0) return; // root writes anywhere; nothing to observe
    const dir = await scratch();
    await chmod(dir, 0o500);
    await expect(writeFileAtomic(join(dir, 'f'), 'x')).rejects.toThrow(/EACCES/);
  });

  it('names the target file, not its temporary, when the disk is full (ENOSPC)', async (context) => {
    // A 64 KiB tmpfs fills up for real; mounting needs root (CI and development machines run as
    // root here). Elsewhere there is no portable way to fill a disk, so the check is skipped.
    const dir = await scratch();
    const small = join(dir, 'small');
    await mkdir(small);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', small], { stdio: 'ignore' });
    } catch {
      context.skip();
    }
    try {
      const target = join(small, 'best.ckpt');
      const error = await writeFileAtomic(target, new Uint8Array(1 << 20)).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'ENOSPC', path: target, syscall: 'write' });
      expect((error as Error).message).toMatch(`ENOSPC: cannot write ${target}`);
      expect(await readdir(small)).toEqual([]);
    } finally {
      execFileSync('umount', [small]);
    }
  });
});
