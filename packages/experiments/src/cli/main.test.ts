import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCmDataset } from '@rpdl/cm-dataset';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './main.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
      env: {},
    },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

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

  it('exits 2 on an unknown command, with the usage', async () => {
    const c = capture();
    expect(await main(['train'], c.io)).toBe(2);
    expect(c.stderr()).toMatch(/^rpdl: unknown command "train"/);
    expect(c.stderr()).toContain('Usage:');
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
});
