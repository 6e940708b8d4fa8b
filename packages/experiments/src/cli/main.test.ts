import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCmDataset } from '@rpdl/cm-dataset';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { captureIo as capture } from '../../test/capture-io.js';
import { main } from './main.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'rpdl-cli-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('rpdl (in process)', () => {
  it('prints help and per-command help', async () => {
    const c = capture();
    expect(await main(['help'], c.io)).toBe(0);
    expect(c.stdout()).toContain('rpdl report <out>');
    const r = capture();
    expect(await main(['help', 'reproduce'], r.io)).toBe(0);
    expect(r.stdout()).toContain('--shard i/n');
  });

  it('exits 2 on an unknown command: one line, then where to look', async () => {
    const c = capture();
    expect(await main(['train'], c.io)).toBe(2);
    expect(c.stderr()).toBe(
      'rpdl: unknown command "train"; expected one of reproduce, report, baseline, phantom, predict, export, help\nsee: rpdl help\n',
    );
  });

  it('writes the phantom in the published file layout', async () => {
    const c = capture();
    const dir = join(root, 'phantom');
    expect(await main(['phantom', '--out', dir, '--size', '16', '--seed', '5'], c.io)).toBe(0);
    const dataset = await loadCmDataset(dir);
    expect(dataset.layout).toEqual({ bones: 9, surgeons: 7 });
    expect(dataset.spatialShape).toEqual([16, 16, 16]);
    expect(c.stdout()).toContain('63 rows of 16³');
  });

  it('computes the surgeon baseline from the data alone, one row per held-out surgeon', async () => {
    const c = capture();
    expect(await main(['baseline', '--data', join(root, 'phantom')], c.io)).toBe(0);
    const rows = c
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('| Surgeon'));
    expect(rows).toHaveLength(7);
    const overall = c
      .stdout()
      .split('\n')
      .find((l) => l.startsWith('| **Overall**'))!;
    const [surgeonDice] = overall.match(/\d\.\d{3}/g)!.map(Number);
    expect(surgeonDice).toBeGreaterThan(0);
    expect(surgeonDice).toBeLessThanOrEqual(1);
  });

  /** Runs the CLI in process; returns the exit code and stderr's lines. */
  async function fails(argv: string[]) {
    const c = capture();
    const code = await main(argv, c.io);
    return { code, lines: c.stderr().trimEnd().split('\n'), stdout: c.stdout() };
  }

  it('reports an unknown flag in one line plus a pointer to the help, not the whole usage', async () => {
    const { code, lines } = await fails(['reproduce', '--epoch', '3']);
    expect(code).toBe(2);
    expect(lines).toEqual([
      'rpdl reproduce: unknown option --epoch; did you mean --epochs?',
      'see: rpdl help reproduce',
    ]);
    const leading = await fails(['--frobnicate']);
    expect(leading.lines).toHaveLength(2);
    expect(leading.lines[0]).toMatch(
      /^rpdl reproduce: unknown option --frobnicate; expected one of --profile, --experiment/,
    );
  });

  it.each([
    [['--epochs', '-1'], 'rpdl reproduce: --epochs must be an integer in 1..100000, got -1'],
    [
      ['--epochs', '99999999999999999999'],
      'rpdl reproduce: --epochs must be an integer in 1..100000, got 99999999999999999999',
    ],
    [['--folds', '0,0'], 'rpdl reproduce: --folds: fold 0 is listed twice; list each fold once'],
    [['--losses', 'dl,dl'], 'rpdl reproduce: --losses: "dl" is listed twice; list each value once'],
    [['--out', '--quiet'], 'rpdl reproduce: --out needs a value <dir>, got the option --quiet'],
    [['report'], 'rpdl report: missing the output directory; expected e.g. rpdl report runs/quick'],
    [
      ['predict', '--model', 'm', '--input', '/nonexistent/bone.npy'],
      'rpdl predict: --input /nonexistent/bone.npy does not exist; expected a .npy label volume',
    ],
    [
      ['export', '/nonexistent/run', '--out', 'x'],
      'rpdl export: /nonexistent/run is not a run directory (no readable config.json); expected e.g. runs/quick/runs/exp1/unet3d/rpdl/fold-0',
    ],
  ])('rejects %j with our own one-line message and exit 2', async (argv, message) => {
    const { code, lines } = await fails(argv);
    expect(code).toBe(2);
    expect(lines[0]).toBe(message);
    expect(lines[1]).toMatch(/^see: rpdl help (reproduce|report|predict|export)$/);
    expect(lines).toHaveLength(2);
  });

  it('names a missing or wrong --data directory and what it should hold (exit 2)', async () => {
    const file = join(root, 'not-a-dir.npy');
    await writeFile(file, 'x');
    const empty = join(root, 'empty-data');
    await mkdir(empty, { recursive: true });
    const expected =
      'expected a directory holding x9_7.npy and y9_7.npy, or one sub-folder per case';
    for (const [data, what] of [
      [join(root, 'nowhere'), 'does not exist'],
      [file, 'is not a directory'],
      [join(file, 'below'), 'does not exist'],
    ] as const) {
      for (const command of ['reproduce', 'baseline']) {
        const out = command === 'reproduce' ? ['--out', join(root, 'o')] : [];
        const { code, lines } = await fails([command, '--data', data, ...out]);
        expect(code, `${command} ${data}`).toBe(2);
        expect(lines).toEqual([
          `rpdl ${command}: --data ${data} ${what}; ${expected}`,
          `see: rpdl help ${command}`,
        ]);
      }
    }
    const { code, lines } = await fails(['reproduce', '--data', empty, '--out', join(root, 'o')]);
    expect(code).toBe(2);
    expect(lines[0]).toMatch(
      /--data .*empty-data is neither the CM layout \(x9_7\.npy and y9_7\.npy\) nor a folder of cases/,
    );
  });

  it("states each experiment's fold range, and refuses a fold that exists in one selected experiment only", async () => {
    const twelve = await fails(['--profile', 'smoke', '--folds', '12', '--out', join(root, 'f')]);
    expect(twelve.code).toBe(2);
    expect(twelve.lines[0]).toBe(
      'rpdl reproduce: --folds: fold 12 does not exist; valid folds are Experiment 1: 0..8, Experiment 2: 0..6',
    );
    const ninetyNine = await fails(['--profile', 'smoke', '--folds', '99', '--experiment', '2']);
    expect(ninetyNine.code).toBe(2);
    expect(ninetyNine.lines[0]).toMatch(
      /fold 99 does not exist; valid folds are Experiment 2: 0\.\.6$/,
    );
    const seven = await fails(['--profile', 'smoke', '--experiment', 'both', '--folds', '7']);
    expect(seven.code).toBe(2);
    expect(seven.lines[0]).toBe(
      'rpdl reproduce: --folds: fold 7 exists only in Experiment 1 (Experiment 1: 0..8, Experiment 2: 0..6); add --experiment 1 to run it',
    );
  });

  it('prints the version with --version and -V', async () => {
    for (const flag of ['--version', '-V']) {
      const c = capture();
      expect(await main([flag], c.io)).toBe(0);
      expect(c.stdout()).toBe(`rpdl ${packageJson.version}\n`);
    }
  });

  it('names the output directory that cannot be created', async () => {
    const file = join(root, 'plain-file');
    await writeFile(file, 'x');
    const { code, lines } = await fails(['--profile', 'smoke', '--out', join(file, 'runs')]);
    expect(code).toBe(1);
    expect(lines[0]).toBe(
      `rpdl reproduce: cannot create the output directory ${join(file, 'runs')}: ${file} is a file, not a directory`,
    );
  });
});
