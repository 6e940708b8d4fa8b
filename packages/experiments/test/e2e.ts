/** Spawned CLI processes on a busy 2-core machine: generous, the work itself takes seconds. */
export const E2E_TIMEOUT_MS = 240_000;

/**
 * The environment of runs compared bit for bit: the stock tfjs kernels, since the native oneDNN
 * kernels' multi-threaded reductions can differ in the last bits between processes on a busy
 * machine (seen as ~1e-8 relative differences after a few epochs).
 */
export const STOCK = { RPDL_NATIVE_KERNELS: '0' };

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
