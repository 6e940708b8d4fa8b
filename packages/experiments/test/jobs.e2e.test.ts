import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from './cli-process.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'rpdl-jobs-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Spawned CLI processes on a busy 2-core machine: generous, the work itself takes seconds. */
const E2E_TIMEOUT_MS = 300_000;

/**
 * Bit-for-bit comparisons run on the stock tfjs kernels: the native kernels' multi-threaded
 * reductions and per-shape layout timing may differ in the last bits between processes.
 */
const STOCK = { RPDL_NATIVE_KERNELS: '0' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Process ids of the direct children of `pid` (Linux `ps`). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map(Number);
  } catch {
    return []; // ps exits 1 when there is none
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(what: string, condition: () => boolean, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Kills a CLI a failed assertion left running (its workers exit when their channel closes). */
function reap(cli: ReturnType<typeof startCli>): void {
  if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
}

/** Whether both runs of {@link LONG_GRID} have begun (each writes its config.json first). */
function bothStarted(out: string): boolean {
  return ['fold-0', 'fold-1'].every((f) =>
    existsSync(join(out, 'runs', 'exp1', 'unet3d', 'dl', f, 'config.json')),
  );
}

/** Waits until both workers of a {@link LONG_GRID} CLI train, and returns their process ids. */
async function bothWorkersTraining(cli: ReturnType<typeof startCli>, out: string) {
  await waitFor('both workers to start training', () => bothStarted(out));
  const workers = childrenOf(cli.child.pid!);
  expect(workers).toHaveLength(2);
  return workers;
}

/** A grid whose runs last long enough to interrupt: two folds, many short steps. */
const LONG_GRID = [
  'reproduce',
  '--profile',
  'smoke',
  '--experiment',
  '1',
  '--losses',
  'dl',
  '--folds',
  '0,1',
  '--epochs',
  '200',
  '--steps-per-epoch',
  '20',
  '--quiet',
  '--jobs',
  '2',
];

describe('rpdl reproduce --jobs', () => {
  it(
    'on the native kernels, depends on the OpenMP threads per process, not on the job count',
    async (context) => {
      // One thread each and one convolution layout (not picked by timing, which can differ
      // between processes): then the arithmetic of every run is the same in any process.
      const env = { OMP_NUM_THREADS: '1', RPDL_CPU_KERNELS_LAYOUT: 'any' };
      const grid = ['reproduce', '--profile', 'smoke', '--experiment', '1', '--quiet'];
      const [one, two] = await Promise.all([
        runCli([...grid, '--jobs', '1', '--out', join(root, 'native-one')], env),
        runCli([...grid, '--jobs', '2', '--out', join(root, 'native-two')], env),
      ]);
      expect(one.code, one.stderr).toBe(0);
      expect(two.code, two.stderr).toBe(0);
      if (!/native kernels: \d+ replaced/.test(one.stdout)) {
        // CI demands the native kernels: there, their absence is a failure, not a skip.
        expect(process.env.RPDL_REQUIRE_NATIVE_KERNELS, one.stdout).not.toBe('1');
        context.skip('the native kernels of @rpdl/cpu-kernels are not built here');
      }
      for (const file of ['report.json', 'report.md']) {
        const a = await readFile(join(root, 'native-one', file));
        const b = await readFile(join(root, 'native-two', file));
        expect(b.equals(a), file).toBe(true);
      }
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'writes byte-identical reports and run results with 2 worker processes as in one process',
    async () => {
      const grid = ['reproduce', '--profile', 'smoke', '--quiet'];
      const [one, two] = await Promise.all([
        runCli([...grid, '--jobs', '1', '--out', join(root, 'one')], STOCK),
        runCli([...grid, '--jobs', '2', '--out', join(root, 'two')], STOCK),
      ]);
      expect(one.code, one.stderr).toBe(0);
      expect(two.code, two.stderr).toBe(0);
      expect(one.stdout).toContain('jobs: 1, in this process (--jobs 1)');
      expect(two.stdout).toContain('jobs: 2 worker processes × 1 OpenMP thread(s) (--jobs 2)');
      // Numbered by grid position whichever worker finishes first.
      for (const [i, id] of [
        'exp1/unet3d/wcel',
        'exp1/unet3d/dl',
        'exp1/unet3d/rpdl',
        'exp2/unet3d/wcel',
        'exp2/unet3d/dl',
        'exp2/unet3d/rpdl',
      ].entries()) {
        expect(two.stdout).toContain(`[${i + 1}/6] ${id}/fold-0: 1 epoch(s)`);
      }
      for (const file of ['report.json', 'report.md', 'report.csv']) {
        const a = await readFile(join(root, 'one', file));
        const b = await readFile(join(root, 'two', file));
        expect(b.equals(a), file).toBe(true);
      }
      for (const run of ['exp1/unet3d/rpdl/fold-0', 'exp2/unet3d/wcel/fold-0']) {
        for (const file of ['best.ckpt', 'predictions/bone-0.npy', 'config.json']) {
          const a = await readFile(join(root, 'one', 'runs', run, file));
          const b = await readFile(join(root, 'two', 'runs', run, file));
          expect(b.equals(a), `${run}/${file}`).toBe(true);
        }
      }
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'reports which run failed, with its error, stops the other worker and exits 1',
    async () => {
      const out = join(root, 'failing');
      // A file where fold 1's run directory should be: creating that directory fails.
      await mkdir(join(out, 'runs', 'exp1', 'unet3d', 'dl'), { recursive: true });
      await writeFile(join(out, 'runs', 'exp1', 'unet3d', 'dl', 'fold-1'), 'not a directory');
      const result = await runCli(
        [
          'reproduce',
          '--profile',
          'smoke',
          '--experiment',
          '1',
          '--losses',
          'dl',
          '--folds',
          '0,1',
          '--jobs',
          '2',
          '--quiet',
          '--out',
          out,
          '--resume',
        ],
        STOCK,
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        // The run's lock cleans the run directory first, and finds a file in its place.
        /rpdl: run exp1\/unet3d\/dl\/fold-1 failed: Error: ENOTDIR: not a directory, scandir '[^']*fold-1'/,
      );
      expect(result.stderr).toContain('--resume continues the rest');
      expect(existsSync(join(out, 'report.json'))).toBe(false);
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'reports a worker killed mid-run as that run failing',
    async () => {
      const out = join(root, 'killed');
      const cli = startCli([...LONG_GRID, '--out', out], STOCK);
      try {
        const workers = await bothWorkersTraining(cli, out);
        const victim = workers[0]!;
        process.kill(victim, 'SIGKILL');
        const done = await cli.done;
        expect(done.code).toBe(1);
        // Whichever worker was killed, the parent names the run it held and the process.
        expect(done.stderr).toMatch(
          new RegExp(
            `rpdl: run exp1/unet3d/dl/fold-[01] failed: its worker process \\(pid ${victim}\\) was killed by SIGKILL`,
          ),
        );
        await waitFor(
          'the other worker to exit',
          () => workers.every((pid) => !isAlive(pid)),
          10_000,
        );
      } finally {
        reap(cli);
      }
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'stops every worker on Ctrl-C (SIGINT) and dies of the signal',
    async () => {
      const out = join(root, 'interrupted');
      const cli = startCli([...LONG_GRID, '--out', out], STOCK);
      try {
        const workers = await bothWorkersTraining(cli, out);
        cli.child.kill('SIGINT');
        const done = await cli.done;
        expect(done.signal).toBe('SIGINT');
        await waitFor('the workers to exit', () => workers.every((pid) => !isAlive(pid)), 10_000);
      } finally {
        reap(cli);
      }
    },
    E2E_TIMEOUT_MS,
  );

  it('rejects a job count below 1 as a usage error', async () => {
    const result = await runCli(['reproduce', '--jobs', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'rpdl reproduce: --jobs must be an integer in 1..256, got 0\nsee: rpdl help reproduce\n',
    );
  });
});
