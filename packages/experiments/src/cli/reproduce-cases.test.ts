import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveNpy } from '@rpdl/cm-dataset';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo as capture } from '../../test/capture-io.js';
import type { RunMetrics } from '../runs/run-dir.js';
import { main } from './main.js';

/** A NIfTI-1 single file (.nii): 348-byte header, 4-byte extension flag, voxels (x fastest). */
function nifti(n: number, values: ArrayLike<number>, kind: 'float32' | 'uint8'): Uint8Array {
  const bytesPer = kind === 'float32' ? 4 : 1;
  const out = new Uint8Array(352 + values.length * bytesPer);
  const view = new DataView(out.buffer);
  view.setInt32(0, 348, true);
  for (const [i, d] of [3, n, n, n, 1, 1, 1, 1].entries()) view.setInt16(40 + 2 * i, d, true);
  view.setInt16(70, kind === 'float32' ? 16 : 2, true); // datatype
  view.setInt16(72, bytesPer * 8, true); // bitpix
  for (let i = 0; i < 8; i++) view.setFloat32(76 + 4 * i, 1, true); // pixdim
  view.setFloat32(108, 352, true); // vox_offset
  view.setFloat32(112, 1, true); // scl_slope
  out.set([0x6e, 0x2b, 0x31, 0], 344); // "n+1\0"
  for (let i = 0; i < values.length; i++) {
    if (kind === 'float32') view.setFloat32(352 + 4 * i, values[i]!, true);
    else view.setUint8(352 + i, values[i]!);
  }
  return out;
}

/**
 * 6 cases × 4 annotators on a 16³ grid: a bright ball in noise, each annotator drawing the ball
 * with a slightly different radius.
 */
async function writeCases(dir: string, annotatorsOf: (c: number) => string[]): Promise<void> {
  const n = 16;
  let state = 12345;
  const noise = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
  for (let c = 0; c < 6; c++) {
    const folder = join(dir, `case${c}`);
    await mkdir(folder, { recursive: true });
    const image = new Float32Array(n ** 3);
    const radius = 3 + (c % 3);
    const inside = (r: number, i: number) => {
      const x = i % n;
      const y = Math.floor(i / n) % n;
      const z = Math.floor(i / n ** 2);
      return (x - 8) ** 2 + (y - 8) ** 2 + (z - 8) ** 2 <= r * r;
    };
    for (let i = 0; i < image.length; i++)
      image[i] = 100 + 50 * Number(inside(radius, i)) + 10 * noise();
    await writeFile(join(folder, 'image.nii'), nifti(n, image, 'float32'));
    for (const [a, name] of annotatorsOf(c).entries()) {
      const mask = Uint8Array.from({ length: n ** 3 }, (_, i) =>
        Number(inside(radius - 1 + a / 2, i)),
      );
      await writeFile(join(folder, `${name}.nii`), nifti(n, mask, 'uint8'));
    }
  }
}

const SMOKE = ['--profile', 'smoke', '--epochs', '1', '--steps-per-epoch', '2', '--quiet'];

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'rpdl-cases-'));
  await writeCases(join(root, 'cases'), () => [0, 1, 2, 3].map((a) => `annotation-r${a}`));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('rpdl reproduce --data <folder of cases>', () => {
  it('leave-one-case-out: trains, scores against the held-out case and reports the new columns', async () => {
    const out = join(root, 'loco');
    const c = capture();
    const code = await main(
      [
        'reproduce',
        '--data',
        join(root, 'cases'),
        '--split',
        'leave-one-case-out',
        '--losses',
        'dl,soft-dice',
        '--folds',
        '0,5',
        '--out',
        out,
        ...SMOKE,
      ],
      c.io,
    );
    expect(c.stderr()).toBe('');
    expect(code).toBe(0);
    expect(c.stdout()).toContain('leave-one-case-out, images standardised per volume');
    expect(c.stdout()).toContain('grid: 4 run(s)');
    const metrics = JSON.parse(
      await readFile(join(out, 'runs/exp1/unet3d/soft-dice/fold-5/metrics.json'), 'utf8'),
    ) as RunMetrics;
    // Case 5 against its 4 annotations; one image with the three multi-rater scores.
    expect(metrics.comparisons.map((x) => [x.bone, x.surgeon])).toEqual([
      [5, 0],
      [5, 1],
      [5, 2],
      [5, 3],
    ]);
    expect(metrics.images).toHaveLength(1);
    const [image] = metrics.images!;
    for (const v of [image!.thresholdDice, image!.ged, image!.ece]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(2);
    }
    const config = JSON.parse(
      await readFile(join(out, 'runs/exp1/unet3d/soft-dice/fold-5/config.json'), 'utf8'),
    ) as { input?: string; spatialShape: number[] };
    expect(config.input).toBe('standardized');
    expect(config.spatialShape).toEqual([16, 16, 16]);

    // An exported model keeps the run's input rule: predict standardises the image for both forms.
    const runDir = join(out, 'runs/exp1/unet3d/soft-dice/fold-5');
    const exported = join(root, 'exported-soft-dice');
    const e = capture();
    expect(await main(['export', runDir, '--out', exported, '--backend', 'cpu'], e.io)).toBe(0);
    const modelJson = JSON.parse(await readFile(join(exported, 'model.json'), 'utf8'));
    expect(modelJson.userDefinedMetadata).toEqual({
      rpdl: { run: 'exp1/unet3d/soft-dice/fold-5', input: 'standardized' },
    });
    const imagePath = join(root, 'image.npy');
    await saveNpy(imagePath, {
      dtype: 'float32',
      shape: [16, 16, 16],
      data: Float32Array.from({ length: 16 ** 3 }, (_, i) => 100 + 50 * Number(i % 16 > 7)),
      fortranOrder: false,
    });
    const predicted: Buffer[] = [];
    for (const [model, name] of [
      [runDir, 'from-run.npy'],
      [exported, 'from-export.npy'],
    ] as const) {
      const p = capture();
      const output = join(root, name);
      const args = ['predict', '--model', model, '--input', imagePath, '--output', output];
      expect(await main([...args, '--backend', 'cpu'], p.io), p.stderr()).toBe(0);
      expect(p.stdout()).toMatch(/^exp1\/unet3d\/soft-dice\/fold-5 on /);
      predicted.push(await readFile(output));
    }
    expect(predicted[1]!.equals(predicted[0]!)).toBe(true);

    const r = capture();
    expect(await main(['report', out], r.io)).toBe(0);
    const report = r.stdout();
    expect(report).toContain('Table III');
    expect(report).toMatch(/\| TA-Dice \| U-net \|/);
    expect(report).toMatch(/\| GED \| U-net \|/);
    expect(report).toMatch(/\| ECE \| U-net \|/);
    expect(report).toContain('| Dice | RPD | TA-Dice | GED | ECE |');
    expect(report).toContain('Soft Dice');
    // Cases and annotators, not the CM study's bones and surgeons.
    expect(report).toContain('Table III — Experiment 1 (leave one case out)');
    expect(report).toMatch(/^\| Case6 \| /m);
    expect(report).not.toMatch(/bone|surgeon/i);
    const csv = await readFile(join(out, 'report.csv'), 'utf8');
    expect(csv).toMatch(/^1,unet3d,soft-dice,,overall,threshold_dice,/m);
  }, 600_000);

  it('leave-one-annotator-out: one run, every case scored against the training annotators', async () => {
    const out = join(root, 'loao');
    const c = capture();
    const code = await main(
      [
        'reproduce',
        '--data',
        join(root, 'cases'),
        '--split',
        'leave-one-annotator-out',
        '--losses',
        'staple-dl',
        '--folds',
        '1',
        '--out',
        out,
        ...SMOKE,
      ],
      c.io,
    );
    expect(c.stderr()).toBe('');
    expect(code).toBe(0);
    const metrics = JSON.parse(
      await readFile(join(out, 'runs/exp2/unet3d/staple-dl/fold-1/metrics.json'), 'utf8'),
    ) as RunMetrics;
    // Six cases, each against annotators 0, 2, 3 (annotation-r1 is held out).
    expect(metrics.comparisons).toHaveLength(18);
    expect(new Set(metrics.comparisons.map((x) => x.surgeon))).toEqual(new Set([0, 2, 3]));
    expect(metrics.images!.map((s) => s.bone)).toEqual([0, 1, 2, 3, 4, 5]);
    const r = capture();
    expect(await main(['report', out], r.io)).toBe(0);
    expect(r.stdout()).toContain('Table IV — Experiment 2 (leave one annotator out)');
    expect(r.stdout()).toContain('STAPLE-DL');
    const report = await readFile(join(out, 'report.md'), 'utf8');
    expect(report).toMatch(/^\| Dice \| Annotators \(held-out\) \| /m);
    expect(report).toMatch(/^\| 2 \| U-net \| STAPLE-DL \| Annotator2 \| /m);
    expect(report).not.toMatch(/bone|surgeon/i);
  }, 600_000);

  it('refuses a folder that is neither kind, cases without --split, and mismatched annotators', async () => {
    const empty = join(root, 'empty');
    await mkdir(empty, { recursive: true });
    await writeFile(join(empty, 'notes.txt'), 'nothing here');
    const a = capture();
    expect(await main(['reproduce', '--data', empty, ...SMOKE], a.io)).toBe(2);
    expect(a.stderr()).toMatch(
      /is neither the CM layout \(x9_7\.npy and y9_7\.npy\) nor a folder of cases/,
    );

    const b = capture();
    expect(await main(['reproduce', '--data', join(root, 'cases'), ...SMOKE], b.io)).toBe(2);
    expect(b.stderr()).toMatch(/is a folder of cases: add --split leave-one-case-out/);

    const d = capture();
    const args = ['--data', join(root, 'cases'), '--split', 'leave-one-case-out'];
    expect(await main(['reproduce', ...args, '--experiment', '2', ...SMOKE], d.io)).toBe(2);
    expect(d.stderr()).toMatch(/is Experiment 1's protocol; drop --experiment/);

    const mixed = join(root, 'mixed');
    await writeCases(mixed, (c) =>
      [0, 1, 2, 3].map((x) => `annotation-${c === 3 ? 'q' : 'r'}${x}`),
    );
    const e = capture();
    const loao = ['--data', mixed, '--split', 'leave-one-annotator-out'];
    expect(await main(['reproduce', ...loao, '--out', join(root, 'x'), ...SMOKE], e.io)).toBe(2);
    expect(e.stderr()).toMatch(/leave-one-annotator-out needs the same annotators on every case/);
  }, 120_000);
});
