import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeCheckpoint } from '@rpdl/training';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../../tooling/testing/temp-dir.js';
import { runCli, startCli } from './cli-process.js';
import { E2E_TIMEOUT_MS, STOCK, smokeArgs } from './e2e.js';

const root = useTempDir('rpdl-shards-');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sharding', () => {
  it(
    'n shard processes merge into the same report as one process',
    async () => {
      const grid = smokeArgs({ experiment: 'both', losses: 'dl,rpdl', folds: '0,1' });
      const single = await runCli([...grid, '--out', join(root(), 'single')], STOCK);
      expect(single.code, single.stderr).toBe(0);

      const sharded = join(root(), 'sharded');
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
      const a = await readFile(join(root(), 'single', 'report.json'), 'utf8');
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
      const args = smokeArgs({
        losses: 'rpdl',
        extra: ['--epochs', '3', '--steps-per-epoch', '12'],
      });
      const whole = await runCli([...args, '--out', join(root(), 'whole')], STOCK);
      expect(whole.code, whole.stderr).toBe(0);

      const out = join(root(), 'killed');
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
        join(root(), 'whole', 'runs', 'exp1', 'unet3d', 'rpdl', 'fold-0', 'log.csv'),
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
      expect(await metrics(out)).toEqual(await metrics(join(root(), 'whole')));
      expect(await readFile(join(run, 'best.ckpt'))).toEqual(
        await readFile(
          join(root(), 'whole', 'runs', 'exp1', 'unet3d', 'rpdl', 'fold-0', 'best.ckpt'),
        ),
      );
    },
    E2E_TIMEOUT_MS,
  );
});
