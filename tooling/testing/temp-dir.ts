import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/**
 * A temporary directory made before the tests of the enclosing `describe` (or file) and removed
 * after them. Returns the directory's path, available once the tests run.
 *
 * @example
 * describe('files', () => {
 *   const dir = useTempDir('files-');
 *   it('writes', async () => writeFile(join(dir(), 'a.txt'), 'a'));
 * });
 */
export function useTempDir(prefix: string): () => string {
  let dir: string | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });
  return () => {
    if (dir === undefined) throw new Error('useTempDir: the directory exists only inside tests');
    return dir;
  };
}
