import { describe, expect, it } from 'vitest';
import {
  type ExampleDefaults,
  type ExampleSettings,
  exampleDefaults,
  parseExampleFlags,
  usage,
} from '../src/index.js';

const full: ExampleSettings = {
  loss: 'rpdl',
  smoke: false,
  size: 16,
  bones: 9,
  surgeons: 7,
  heldOutBone: 0,
  steps: 300,
  stockSteps: 40,
  batchSize: 4,
  learningRate: 0.01,
  baseFilters: 4,
  depth: 3,
  seed: 1,
  out: 'm.png',
  nativeKernels: true,
};
const defaults: ExampleDefaults = {
  full,
  smoke: { ...full, smoke: true, steps: 2, stockSteps: 2 },
};

describe('parseExampleFlags', () => {
  it('gives the defaults with no flags, and --help as undefined', () => {
    expect(parseExampleFlags([], defaults)).toEqual(full);
    expect(parseExampleFlags(['--help'], defaults)).toBeUndefined();
  });

  it('starts from the smoke settings and ignores the `--` pnpm passes on', () => {
    const settings = parseExampleFlags(['--', '--smoke', '--loss', 'dl'], defaults);
    expect(settings).toEqual({ ...defaults.smoke, loss: 'dl' });
  });

  it('sets both step counts from --steps and reads every numeric flag', () => {
    const settings = parseExampleFlags(
      [
        '--steps',
        '7',
        '--batch',
        '2',
        '--lr',
        '3e-3',
        '--size',
        '32',
        '--filters',
        '8',
        '--depth',
        '2',
      ],
      defaults,
    );
    expect(settings).toMatchObject({
      steps: 7,
      stockSteps: 7,
      batchSize: 2,
      learningRate: 0.003,
      size: 32,
      baseFilters: 8,
      depth: 2,
    });
    expect(parseExampleFlags(['--stock-kernels', '--bone', '8'], defaults)).toMatchObject({
      nativeKernels: false,
      heldOutBone: 8,
    });
  });

  it('rejects unknown flags and bad values with the reason', () => {
    expect(() => parseExampleFlags(['--los', 'dl'], defaults)).toThrow(/Unknown option '--los'/);
    expect(() => parseExampleFlags(['--loss', 'bce'], defaults)).toThrow(
      "--loss must be one of wcel, dl, rpdl, got 'bce'",
    );
    expect(() => parseExampleFlags(['--steps', '0'], defaults)).toThrow(
      /--steps must be an integer ≥ 1, got '0'/,
    );
    expect(() => parseExampleFlags(['--steps', '2.5'], defaults)).toThrow(/got '2.5'/);
    expect(() => parseExampleFlags(['--lr', '0'], defaults)).toThrow(
      "--lr must be a number > 0, got '0'",
    );
    expect(() => parseExampleFlags(['--lr=-1e-3'], defaults)).toThrow(/got '-1e-3'/);
    expect(() => parseExampleFlags(['--lr', 'fast'], defaults)).toThrow(/got 'fast'/);
    expect(() => parseExampleFlags(['--size', '24'], defaults)).toThrow(
      "--size must be one of 16, 32, 64, got '24'",
    );
    expect(() => parseExampleFlags(['--bone', '9'], defaults)).toThrow(
      /below the phantom's 9 bones/,
    );
    expect(() => parseExampleFlags(['--out', 'panel.jpg'], defaults)).toThrow(/\.png/);
    expect(() => parseExampleFlags(['--loss'], defaults)).toThrow(/argument missing/);
    expect(() => parseExampleFlags(['extra'], defaults)).toThrow(/positional/);
  });

  it('lists every flag in the usage text', () => {
    const text = usage('unet3d', defaults);
    for (const flag of [
      '--loss',
      '--smoke',
      '--steps',
      '--batch',
      '--size',
      '--filters',
      '--depth',
      '--bone',
      '--seed',
      '--out',
      '--stock-kernels',
      '--help',
    ]) {
      expect(text).toContain(flag);
    }
  });
});

describe('exampleDefaults', () => {
  it('gives the shared settings, the panel named after the example, and the smoke cut', () => {
    const d = exampleDefaults('m');
    expect(d.full).toEqual({ ...full, learningRate: 0.003, out: 'm.png' });
    expect(d.smoke).toEqual({
      ...d.full,
      smoke: true,
      bones: 3,
      surgeons: 3,
      steps: 2,
      stockSteps: 2,
      depth: 2,
    });
  });

  it('applies overrides to the full run and to the smoke run on top of it', () => {
    const d = exampleDefaults('m', { full: { steps: 150, baseFilters: 8 }, smoke: { depth: 3 } });
    expect([d.full.steps, d.full.baseFilters, d.full.depth]).toEqual([150, 8, 3]);
    // The smoke run inherits the full run's overrides unless it sets its own.
    expect([d.smoke.steps, d.smoke.baseFilters, d.smoke.depth]).toEqual([2, 8, 3]);
  });
});
