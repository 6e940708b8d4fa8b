import { describe, expect, it } from 'vitest';
import { parseFolds, parseList } from './args.js';
import { parseCommandLine } from './command-line.js';
import { UsageError } from './errors.js';

const reproduceArgs = (argv: string[]) => {
  const args = parseCommandLine(argv);
  if (args.command !== 'reproduce') throw new Error(`expected reproduce, got ${args.command}`);
  return args;
};

describe('parseCommandLine', () => {
  it('runs the quick profile with no arguments at all', () => {
    const args = reproduceArgs([]);
    expect(args.profile).toBe('quick');
    expect(args.backend).toBe('auto');
    expect(args.resume).toBe(false);
    expect(args.experiments).toBeUndefined();
  });

  it('parses every reproduce option', () => {
    const args = reproduceArgs([
      'reproduce',
      '--experiment',
      '2',
      '--models',
      'vnet3d,unet3d',
      '--losses',
      'rpdl',
      '--folds',
      '0,3-4',
      '--profile',
      'paper',
      '--data',
      '/data/cm',
      '--backend',
      'cuda',
      '--out',
      'o',
      '--resume',
      '--shard',
      '1/4',
      '--seed',
      '9',
      '--epochs',
      '3',
      '--steps-per-epoch',
      '2',
      '--batch-size',
      '4',
    ]);
    expect(args).toMatchObject({
      experiments: [2],
      models: ['vnet3d', 'unet3d'],
      losses: ['rpdl'],
      folds: [0, 3, 4],
      profile: 'paper',
      data: '/data/cm',
      backend: 'cuda',
      out: 'o',
      resume: true,
      shard: '1/4',
      seed: 9,
      overrides: { maxEpochs: 3, stepsPerEpoch: 2, batchSize: 4 },
    });
  });

  it.each([
    [['frobnicate'], /unknown command "frobnicate"; expected one of reproduce, report/],
    [['reproduce', '--experiment', '3'], /--experiment must be 1, 2 or both, got "3"/],
    [
      ['reproduce', '--models', 'unet3d,resnet'],
      /--models: unknown value "resnet"; expected one of unet3d, vnet3d/,
    ],
    [['reproduce', '--losses', 'dl,dl'], /--losses: "dl" is listed twice/],
    [['reproduce', '--losses', 'dl,'], /without empty items/],
    [
      ['reproduce', '--profile', 'fast'],
      /--profile must be one of paper, quick, models, smoke, got "fast"/,
    ],
    [
      ['reproduce', '--backend', 'gpu'],
      /--backend must be one of auto, cpu, wasm, node, cuda, webgpu, got "gpu"/,
    ],
    [['reproduce', '--seed', '1.5'], /--seed must be an integer in 0\.\.4294967295, got "1.5"/],
    [['reproduce', '--epochs', '0'], /--epochs must be an integer in 1\.\.100000, got 0/],
    [['reproduce', '--folds', '2-1'], /range 2-1 runs backwards/],
    [['reproduce', '--folds', 'one'], /--folds must list 0-based fold numbers/],
    [
      ['reproduce', '--data', 'd', '--phantom-size', '8'],
      /--phantom-size and --data exclude each other/,
    ],
    [['reproduce', '--colour'], /unknown option --colour; expected one of --profile, /],
    [['reproduce', '--seed'], /--seed/],
    [['reproduce', 'extra'], /unexpected argument\(s\) "extra"/],
    [['baseline', '--seed', '1'], /unknown option --seed; expected one of /],
    [['report'], /missing the output directory/],
    [['phantom'], /--out <dir> is required/],
    [['phantom', '--out', 'x', '--size', '8'], /--size must be one of 16, 32, 64, got "8"/],
    [['predict', '--input', 'a.npy'], /--model <dir> is required/],
    [['help', 'nothing'], /unknown command "nothing"/],
  ])('rejects %j with a specific message', (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(UsageError);
    expect(() => parseCommandLine(argv)).toThrow(message);
  });

  it('treats leading flags as reproduce options and --help as help', () => {
    expect(parseCommandLine(['--profile', 'smoke'])).toMatchObject({
      command: 'reproduce',
      profile: 'smoke',
    });
    expect(parseCommandLine(['--help'])).toEqual({ command: 'help' });
    expect(parseCommandLine(['report', '--help'])).toEqual({ command: 'help', topic: 'report' });
  });
});

describe('list and fold parsing', () => {
  it('keeps list order and expands ranges', () => {
    expect(parseList('--losses', 'rpdl,wcel', ['wcel', 'dl', 'rpdl'])).toEqual(['rpdl', 'wcel']);
    expect(parseFolds('5,0-2,3')).toEqual([0, 1, 2, 3, 5]);
    expect(parseFolds('all')).toBeUndefined();
  });
});
