import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** Spawned CLI processes on a busy 2-core machine: generous, the work itself takes seconds. */
export const E2E_TIMEOUT_MS = 240_000;

/**
 * The environment of runs compared bit for bit: the stock tfjs kernels, since the native oneDNN
 * kernels' multi-threaded reductions can differ in the last bits between processes on a busy
 * machine (seen as ~1e-8 relative differences after a few epochs).
 */
export const STOCK = { RPDL_NATIVE_KERNELS: '0' };

/**
 * A temporary directory made before the file's tests and removed after them; call it at the top
 * level of a test file. Returns the directory's path (available once the tests run).
 *
 * @example
 * const root = useTempRoot('rpdl-e2e-');
 * it('writes', async () => writeFile(join(root(), 'a.txt'), 'a'));
 */
export function useTempRoot(prefix: string): () => string {
  let root: string | undefined;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    if (root !== undefined) await rm(root, { recursive: true, force: true });
  });
  return () => {
    if (root === undefined) throw new Error('useTempRoot: the directory exists only inside tests');
    return root;
  };
}

/**
 * The arguments of a `rpdl reproduce --profile smoke` run of one grid: `extra` flags, then
 * `--quiet` and, when given, `--out`.
 *
 * @example
 * smokeArgs({ losses: 'dl', out: '/tmp/x' });
 * // ['reproduce', '--profile', 'smoke', '--experiment', '1', '--losses', 'dl', '--folds', '0',
 * //  '--quiet', '--out', '/tmp/x']
 */
export function smokeArgs(grid: {
  experiment?: string;
  losses: string;
  folds?: string;
  extra?: readonly string[];
  out?: string;
}): string[] {
  return [
    'reproduce',
    '--profile',
    'smoke',
    '--experiment',
    grid.experiment ?? '1',
    '--losses',
    grid.losses,
    '--folds',
    grid.folds ?? '0',
    ...(grid.extra ?? []),
    '--quiet',
    ...(grid.out === undefined ? [] : ['--out', grid.out]),
  ];
}
