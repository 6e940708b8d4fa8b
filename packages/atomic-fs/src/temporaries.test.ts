import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAtomicTemporary, removeAtomicTemporaries } from './temporaries.js';
import { writeFileAtomic } from './write-file-atomic.js';

describe('removeAtomicTemporaries', () => {
  it('recognises exactly the temporaries writeFileAtomic makes', () => {
    expect(isAtomicTemporary('.log.csv.4242.0badf00d.tmp')).toBe(true);
    expect(isAtomicTemporary('.best.ckpt.1.deadbeef.tmp')).toBe(true);
    expect(isAtomicTemporary('log.csv')).toBe(false);
    expect(isAtomicTemporary('notes.tmp')).toBe(false);
    expect(isAtomicTemporary('.x.12.nothex!!.tmp')).toBe(false);
  });

  it('removes stale temporaries in a directory tree and nothing else', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rpdl-tmp-'));
    await writeFileAtomic(join(dir, 'log.csv'), 'kept');
    await mkdir(join(dir, 'predictions'));
    await writeFile(join(dir, '.log.csv.4242.0badf00d.tmp'), 'torn');
    await writeFile(join(dir, 'predictions', '.bone-0.npy.7.00c0ffee.tmp'), 'torn');
    await writeFile(join(dir, 'notes.tmp'), 'user file');
    const removed = await removeAtomicTemporaries(dir);
    expect(removed.sort()).toEqual(
      [
        join(dir, '.log.csv.4242.0badf00d.tmp'),
        join(dir, 'predictions', '.bone-0.npy.7.00c0ffee.tmp'),
      ].sort(),
    );
    expect((await readdir(dir, { recursive: true })).sort()).toEqual(
      ['log.csv', 'notes.tmp', 'predictions'].sort(),
    );
    expect(await removeAtomicTemporaries(join(dir, 'missing'))).toEqual([]);
  });
});
