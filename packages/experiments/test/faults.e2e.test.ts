import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../../tooling/testing/temp-dir.js';
import { lockRun } from '../src/runs/run-dir.js';
import { runCli, startCli } from './cli-process.js';
import { E2E_TIMEOUT_MS, STOCK, smokeArgs } from './e2e.js';

const RUN = ['runs', 'exp1', 'unet3d', 'dl', 'fold-0'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const root = useTempDir('rpdl-faults-');

/** Every file under a directory, by relative path, with its bytes. */
async function snapshot(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of (await readdir(dir, { recursive: true, withFileTypes: true })).sort((a, b) =>
    join(a.parentPath, a.name).localeCompare(join(b.parentPath, b.name)),
  )) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(path.slice(dir.length + 1), await readFile(path));
  }
  return files;
}

describe('two processes on one --out', () => {
  it(
    'refuses the second writer of a run, naming the holder, while the first runs',
    async () => {
      const out = join(root(), 'shared');
      // Long epochs keep the first process inside its run while the second starts.
      const args = smokeArgs({
        losses: 'dl',
        extra: ['--epochs', '3', '--steps-per-epoch', '100000'],
        out,
      });
      const lockPath = `${join(out, ...RUN)}.lock`;
      const first = startCli(args, STOCK);
      try {
        const deadline = Date.now() + 120_000;
        while (!existsSync(lockPath) && Date.now() < deadline) await sleep(50);
        expect(existsSync(lockPath), 'the first process took the run lock').toBe(true);
        const holder = JSON.parse(await readFile(lockPath, 'utf8'));
        expect(holder).toMatchObject({ pid: first.child.pid, hostname: hostname() });

        const second = await runCli(args, STOCK);
        expect(first.child.exitCode, 'the first process is still running').toBeNull();
        expect(second.code).toBe(1);
        expect(second.stderr).toBe(
          `rpdl reproduce: run exp1/unet3d/dl/fold-0 is being written by process ${first.child.pid} on ${hostname()} since ${holder.started} (lock ${lockPath}); wait for it, or use another --out\nsee: rpdl help reproduce\n`,
        );
        expect(existsSync(join(out, ...RUN, 'metrics.json'))).toBe(false);
      } finally {
        first.child.kill('SIGKILL');
        await first.done;
      }
      // The killed holder left its lock behind; the next taker sees its pid is dead and takes over.
      expect(existsSync(lockPath)).toBe(true);
      const lock = await lockRun(out, { experiment: 1, model: 'unet3d', loss: 'dl', fold: 0 });
      expect(JSON.parse(await readFile(lockPath, 'utf8')).pid).toBe(process.pid);
      await lock.release();
    },
    E2E_TIMEOUT_MS,
  );
});

describe('a kill between the last checkpoint and the log', () => {
  it(
    'resumes to the uninterrupted run’s files, log included, and leaves no temporaries',
    async () => {
      const args = (out: string) => smokeArgs({ losses: 'dl', extra: ['--epochs', '2'], out });
      const whole = join(root(), 'whole');
      const done = await runCli(args(whole), STOCK);
      expect(done.code, done.stderr).toBe(0);
      expect(done.stdout).toContain('training: up to 2 epoch(s) of 2 step(s)');
      const metrics = JSON.parse(await readFile(join(whole, ...RUN, 'metrics.json'), 'utf8'));
      expect(metrics.stopReason).toBe(metrics.epochs < 2 ? 'early-stopping' : 'max-epochs');
      const expected = await snapshot(join(whole, ...RUN));
      const log = expected.get('log.csv')!.toString();
      expect(log.trimEnd().split('\n')).toHaveLength(3);

      // The files a kill leaves right after the last epoch's checkpoint: checkpoint and best
      // weights of epoch 2, the log still at epoch 1 (or, for a one-epoch run, no log at all),
      // nothing of the evaluation yet, and the temporaries of the writes it interrupted.
      for (const [name, logLeft] of [
        ['behind', `${log.trimEnd().split('\n').slice(0, 2).join('\n')}\n`],
        ['missing', undefined],
      ] as const) {
        const out = join(root(), `killed-${name}`);
        await cp(whole, out, { recursive: true });
        const run = join(out, ...RUN);
        for (const file of ['metrics.json', 'learning-curve.svg', 'predictions', 'log.csv']) {
          await rm(join(run, file), { recursive: true, force: true });
        }
        for (const report of ['report.md', 'report.csv', 'report.json', 'figures']) {
          await rm(join(out, report), { recursive: true, force: true });
        }
        if (logLeft !== undefined) await writeFile(join(run, 'log.csv'), logLeft);
        await writeFile(join(run, `.log.csv.${process.pid}.0badf00d.tmp`), 'epoch,lo');
        await writeFile(join(run, `.metrics.json.${process.pid}.00c0ffee.tmp`), '{');

        const resumed = await runCli([...args(out), '--resume'], STOCK);
        expect(resumed.code, resumed.stderr).toBe(0);
        const files = await snapshot(run);
        expect([...files.keys()].filter((f) => f.endsWith('.tmp'))).toEqual([]);
        expect([...files.keys()]).toEqual([...expected.keys()]);
        for (const [file, bytes] of expected) {
          expect(files.get(file)?.equals(bytes), `${name}: ${file}`).toBe(true);
        }
      }
    },
    E2E_TIMEOUT_MS,
  );
});

describe('a process stopped right after its last checkpoint', () => {
  it(
    'leaves a one-epoch run without a log, and --resume writes exactly the uninterrupted files',
    async () => {
      const args = (out: string) => smokeArgs({ losses: 'dl', out });
      const whole = join(root(), 'one-epoch');
      expect((await runCli(args(whole), STOCK)).code).toBe(0);
      const expected = await snapshot(join(whole, ...RUN));

      // A directory where log.csv goes makes the real process fail at exactly the write after
      // the epoch checkpoint (--resume on an empty --out starts fresh but keeps what is there).
      const out = join(root(), 'stopped');
      const run = join(out, ...RUN);
      await mkdir(join(run, 'log.csv', 'blocker'), { recursive: true });
      const stopped = await runCli([...args(out), '--resume'], STOCK);
      expect(stopped.code).toBe(1);
      expect(stopped.stderr).toMatch(/log\.csv/);
      expect(existsSync(join(run, 'checkpoint.ckpt'))).toBe(true);
      expect(existsSync(join(run, 'metrics.json'))).toBe(false);
      await rm(join(run, 'log.csv'), { recursive: true });

      const resumed = await runCli([...args(out), '--resume'], STOCK);
      expect(resumed.code, resumed.stderr).toBe(0);
      const files = await snapshot(run);
      expect([...files.keys()]).toEqual([...expected.keys()]);
      // Epoch wall-clock times differ between the two processes; they reach log.csv's last
      // column, metrics.json's trainSeconds and the checkpoint's stored history, nothing else.
      const withoutTime = (csv: Buffer) =>
        csv
          .toString()
          .split('\n')
          .map((line) => line.split(',').slice(0, 4).join(','));
      const withoutSeconds = (json: Buffer) => ({
        ...JSON.parse(json.toString()),
        trainSeconds: 0,
      });
      for (const [file, bytes] of expected) {
        const got = files.get(file)!;
        if (file === 'checkpoint.ckpt') continue;
        if (file === 'log.csv') expect(withoutTime(got)).toEqual(withoutTime(bytes));
        else if (file === 'metrics.json')
          expect(withoutSeconds(got)).toEqual(withoutSeconds(bytes));
        else expect(got.equals(bytes), file).toBe(true);
      }
      expect(withoutTime(files.get('log.csv')!)).toHaveLength(3);
    },
    E2E_TIMEOUT_MS,
  );
});

describe('a damaged checkpoint', () => {
  it(
    'is refused on resume with the file named, instead of training on changed weights',
    async () => {
      const out = join(root(), 'damaged');
      const args = smokeArgs({ losses: 'dl', out });
      expect((await runCli(args, STOCK)).code).toBe(0);
      const best = join(out, ...RUN, 'best.ckpt');
      const bytes = await readFile(best);
      bytes[bytes.length - 100]! ^= 0x40;
      await writeFile(best, bytes);
      await rm(join(out, ...RUN, 'metrics.json'));
      const resumed = await runCli([...args, '--resume'], STOCK);
      expect(resumed.code).toBe(1);
      expect(resumed.stderr.split('\n')[0]).toBe(
        `rpdl reproduce: ${best}: checksum mismatch, the file is damaged (changed or truncated after it was written); delete it to start the run afresh`,
      );
    },
    E2E_TIMEOUT_MS,
  );
});
