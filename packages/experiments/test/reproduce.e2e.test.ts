import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generatePhantom, loadNpy, saveNpy } from '@rpdl/cm-dataset';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../../tooling/testing/temp-dir.js';
import type { Report } from '../src/report/report-data.js';
import { runCli } from './cli-process.js';
import { E2E_TIMEOUT_MS } from './e2e.js';

const root = useTempDir('rpdl-e2e-');

describe('rpdl reproduce --profile smoke (end to end)', () => {
  it(
    'trains one fold of each experiment with the three losses and prints Tables III and IV',
    async () => {
      const out = join(root(), 'smoke');
      const result = await runCli(['reproduce', '--profile', 'smoke', '--out', out, '--quiet']);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('### Table III — Experiment 1');
      expect(result.stdout).toContain('### Table IV — Experiment 2');
      expect(result.stdout).toMatch(/\| Dice \| Surgeons \(held-out\) \|/);
      expect(result.stdout).toMatch(/\[6\/6\] exp2\/unet3d\/rpdl\/fold-0: 1 epoch\(s\)/);

      const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as Report;
      expect(report.experiments.map((e) => e.experiment)).toEqual([1, 2]);
      for (const section of report.experiments) {
        expect(section.entries.map((e) => `${e.model}/${e.loss}`)).toEqual([
          'unet3d/wcel',
          'unet3d/dl',
          'unet3d/rpdl',
        ]);
        for (const entry of section.entries) {
          expect(entry.folds.map((f) => f.fold)).toEqual([0]);
          // Experiment 1: 7 surgeries of the held-out bone; Experiment 2: 9 bones × 6 training surgeons.
          expect(entry.folds[0]!.comparisons).toBe(section.experiment === 1 ? 7 : 54);
          expect(entry.dice.mean).toBeGreaterThanOrEqual(0);
          expect(entry.dice.mean).toBeLessThanOrEqual(1);
        }
      }
      expect(report.experiments[1]!.baselines.map((b) => b.name)).toEqual(['atlas', 'surgeon']);

      const run = join(out, 'runs', 'exp2', 'unet3d', 'rpdl', 'fold-0');
      for (const file of [
        'config.json',
        'log.csv',
        'checkpoint.ckpt',
        'best.ckpt',
        'learning-curve.svg',
        'metrics.json',
      ]) {
        expect(existsSync(join(run, file)), file).toBe(true);
      }
      expect((await readdir(join(run, 'predictions'))).length).toBe(9);
      const prediction = await loadNpy(join(run, 'predictions', 'bone-0.npy'));
      expect(prediction).toMatchObject({ dtype: 'uint8', shape: [16, 16, 16] });
      expect((await readFile(join(run, 'log.csv'), 'utf8')).split('\n')[0]).toBe(
        'epoch,loss,val_loss,lr,time',
      );

      // A second run into the same directory must not silently redo or overwrite finished work.
      const again = await runCli(['reproduce', '--profile', 'smoke', '--out', out, '--quiet']);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/already holds 6 finished run\(s\).*pass --resume/);
      const resumed = await runCli([
        'reproduce',
        '--profile',
        'smoke',
        '--out',
        out,
        '--quiet',
        '--resume',
      ]);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stdout.match(/already finished/g)).toHaveLength(6);

      // The report command writes all tables and the Fig. 4-style panel.
      const reported = await runCli(['report', out]);
      expect(reported.code, reported.stderr).toBe(0);
      expect(reported.stdout).toContain('### Table I — Experiment 1');
      expect(existsSync(join(out, 'figures', 'exp1-unet3d-bone1.png'))).toBe(true);
      expect((await readFile(join(out, 'report.csv'), 'utf8')).split('\n')[0]).toContain(
        'pooled_std',
      );
      expect(reported.stdout).toContain('### Verdicts');
      const page = await readFile(join(out, 'report.html'), 'utf8');
      expect(page).toContain('<section id="verdicts">');
      expect(page).toContain('<section id="panels">');
      expect(page).not.toMatch(/https?:\/\//);

      // Prediction for a new bone from the trained run.
      const bone = join(root(), 'new-bone.npy');
      const phantom = generatePhantom({ size: 16, seed: 99, bones: 2, surgeons: 2 });
      await saveNpy(bone, {
        dtype: 'int8',
        shape: [16, 16, 16],
        data: phantom.inputs[0]!,
        fortranOrder: false,
      });
      const predicted = await runCli([
        'predict',
        '--model',
        join(out, 'runs', 'exp1', 'unet3d', 'dl', 'fold-0'),
        '--input',
        bone,
        '--backend',
        'cpu',
      ]);
      expect(predicted.code, predicted.stderr).toBe(0);
      expect(existsSync(join(root(), 'new-bone.prediction.npy'))).toBe(true);
      expect(existsSync(join(root(), 'new-bone.prediction.png'))).toBe(true);
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'exits 2 with the reason on one line and a pointer to the help on a bad flag',
    async () => {
      const result = await runCli(['reproduce', '--losses', 'focal']);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        'rpdl reproduce: --losses: unknown value "focal"; expected one of wcel, dl, rpdl, soft-dice, staple-dl, majority-dl\nsee: rpdl help reproduce\n',
      );
    },
    E2E_TIMEOUT_MS,
  );
});
