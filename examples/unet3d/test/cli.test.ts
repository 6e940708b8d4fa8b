import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';

// The command `pnpm start` runs, spawned directly so the test does not depend on pnpm.
function start(args: string[]) {
  return spawnSync(
    process.execPath,
    ['--conditions=@rpdl/source', '--import', 'tsx', 'src/main.ts', ...args],
    { cwd: join(import.meta.dirname, '..'), encoding: 'utf8', timeout: 60_000 },
  );
}

describe('pnpm start (unet3d)', () => {
  it('--smoke prints Dice and RPD in [0, 1] and writes a PNG panel', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'unet3d-')), 'panel.png');
    const run = start(['--', '--smoke', '--out', out]);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(0);
    for (const metric of ['Dice', 'RPD ']) {
      const match = run.stdout.match(new RegExp(`^ {2}${metric} ?(\\S+) ± (\\S+)$`, 'm'));
      expect(match, `${metric} line in:\n${run.stdout}`).not.toBeNull();
      const [mean, std] = [Number(match![1]), Number(match![2])];
      for (const v of [mean, std]) {
        expect(Number.isFinite(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    }
    const png = PNG.sync.read(readFileSync(out));
    expect(png.width).toBe(3 * png.height + 8);
  });

  it('a bad flag exits with code 2, the reason and the usage', () => {
    const run = start(['--loss', 'bce']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--loss must be one of wcel, dl, rpdl, got 'bce'");
    expect(run.stderr).toContain('usage: pnpm start');
  });
});
