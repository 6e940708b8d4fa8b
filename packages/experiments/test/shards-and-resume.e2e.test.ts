import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeCheckpoint } from '@rpdl/training';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from './cli-process.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'rpdl-shards-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Spawned CLI processes on a busy 2-core machine: generous, the work itself takes seconds. */
const E2E_TIMEOUT_MS = 240_000;

/**
 * These tests compare results bit for bit, so they run on the stock tfjs kernels: the native
 * oneDNN kernels' multi-threaded reductions can differ in the last bits between processes on a
 * busy machine (seen here as ~1e-8 relative differences after a few epochs).
 */
const STOCK = { RPDL_NATIVE_KERNELS: '0' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sharding', () => {
  it(
    'n shard processes merge into the same report as one process',
    async () => {
      const grid = [
        'reproduce',
        '--profile',
        'smoke',
        '--experiment',
        'both',
        '--losses',
        'dl,rpdl',
        '--folds',
        '0,1',
        '--quiet',
      ];
      const single = await runCli([...grid, '--out', join(root, 'single')], STOCK);
      expect(single.code, single.stderr).toBe(0);

      const sharded = join(root, 'sharded');
      // Three shards: one by flag, one through Slurm's variables, one as a Kubernetes Indexed Job.
      const shards = await Promise.all([
        runCli([...grid, '--out', sharded, '--shard', '0/3'], STOCK),
        runCli([...grid, '--out', sharded], {
          ...STOCK,
          SLURM_ARRAY_TASK_ID: '1',
          SLURM_ARRAY_TASK_COUNT: '3',
        }),
        runCli([...grid, '--out', sharded], {
          ...STOCK,
          JOB_COMPLETION_INDEX: '2',
          RPDL_SHARD_COUNT: '3',
        }),
      ]);
      shards.forEach((s, i) => {
        expect(s.code, s.stderr).toBe(0);
        expect(s.stdout).toContain(`shard ${i}/3 runs ${i === 2 ? 2 : 3}`);
        expect(s.stdout).not.toContain('### Table III');
      });
      const merged = await runCli(['report', sharded], STOCK);
      expect(merged.code, merged.stderr).toBe(0);
      const a = await readFile(join(root, 'single', 'report.json'), 'utf8');
      const b = await readFile(join(sharded, 'report.json'), 'utf8');
      expect(
        JSON.parse(b).experiments.flatMap((e: { entries: unknown[] }) => e.entries),
      ).toHaveLength(4);
      expect(b).toBe(a);
    },
    E2E_TIMEOUT_MS,
  );
});

describe('resume after SIGKILL', () => {
  it(
    'continues a run killed mid-epoch from its last checkpoint and ends exactly where an uninterrupted run ends',
    async () => {
      const args = [
        'reproduce',
        '--profile',
        'smoke',
        '--experiment',
        '1',
        '--losses',
        'rpdl',
        '--folds',
        '0',
        '--epochs',
        '3',
        '--steps-per-epoch',
        '12',
        '--quiet',
      ];
      const whole = await runCli([...args, '--out', join(root, 'whole')], STOCK);
      expect(whole.code, whole.stderr).toBe(0);

      const out = join(root, 'killed');
      const run = join(out, 'runs', 'exp1', 'unet3d', 'rpdl', 'fold-0');
      const checkpoint = join(run, 'checkpoint.ckpt');
      const victim = startCli([...args, '--out', out], STOCK);
      // Wait for the first epoch checkpoint, then kill somewhere inside the following epoch.
      const deadline = Date.now() + 60_000;
      while (!existsSync(checkpoint) && Date.now() < deadline) await sleep(20);
      await sleep(150);
      victim.child.kill('SIGKILL');
      const killed = await victim.done;
      expect(killed.signal).toBe('SIGKILL');
      expect(existsSync(join(run, 'metrics.json'))).toBe(false);
      const saved = decodeCheckpoint<{ epoch: number; finished: boolean }>(
        new Uint8Array(await readFile(checkpoint)),
      );
      expect(saved.state.finished).toBe(false);
      expect(saved.state.epoch).toBeGreaterThanOrEqual(1);
      expect(saved.state.epoch).toBeLessThan(3);

      const resumed = await runCli([...args, '--out', out, '--resume'], STOCK);
      expect(resumed.code, resumed.stderr).toBe(0);
      const withoutTime = (csv: string) =>
        csv.split('\n').map((line) => line.split(',').slice(0, 4).join(','));
      const logWhole = await readFile(
        join(root, 'whole', 'runs', 'exp1', 'unet3d', 'rpdl', 'fold-0', 'log.csv'),
        'utf8',
      );
      expect(withoutTime(await readFile(join(run, 'log.csv'), 'utf8'))).toEqual(
        withoutTime(logWhole),
      );
      const metrics = (dir: string) =>
        readFile(
          join(dir, 'runs', 'exp1', 'unet3d', 'rpdl', 'fold-0', 'metrics.json'),
          'utf8',
        ).then((t) => {
          const { trainSeconds: _, ...rest } = JSON.parse(t);
          return rest;
        });
      expect(await metrics(out)).toEqual(await metrics(join(root, 'whole')));
      expect(await readFile(join(run, 'best.ckpt'))).toEqual(
        await readFile(
          join(root, 'whole', 'runs', 'exp1', 'unet3d', 'rpdl', 'fold-0', 'best.ckpt'),
        ),
      );
    },
    E2E_TIMEOUT_MS,
  );
});
