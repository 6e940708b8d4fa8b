import { computeBaselines } from '../../evaluation/baselines.js';
import { getProfile } from '../../grid/profiles.js';
import { buildReport } from '../../report/report-data.js';
import { datasetSource, describeSource, loadCmSource } from '../../runs/dataset-source.js';
import {
  type BaselineArgs,
  PROFILE_NAMES,
  parseChoice,
  parsePhantomSize,
  stringOption,
} from '../args.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import type { Command } from '../spec.js';

/**
 * `rpdl baseline`: Experiment 2's surgeon baseline (each held-out surgeon against the other six)
 * and the atlas baseline, from the data alone.
 *
 * @example
 * await baseline({ command: 'baseline', profile: 'quick' }, io);
 */
export async function baseline(args: BaselineArgs, io: CliIo): Promise<number> {
  const profile = getProfile(args.profile);
  const source = datasetSource({
    ...(args.data === undefined ? {} : { data: args.data }),
    phantom: {
      ...profile.phantom,
      ...(args.phantomSize === undefined ? {} : { size: args.phantomSize }),
    },
  });
  const dataset = await loadCmSource(source);
  const baselines = [...Array(dataset.layout.surgeons).keys()].flatMap((fold) =>
    computeBaselines(2, fold, dataset),
  );
  const report = buildReport({ layout: dataset.layout, runs: [], baselines });
  const section = report.experiments[0]!;
  const f3 = (v: number) => v.toFixed(3);
  const lines = [
    `Experiment 2 baselines on ${describeSource(source)}`,
    '',
    '| held-out surgeon | surgeons Dice | surgeons RPD | atlas Dice | atlas RPD |',
    '| --- | --- | --- | --- | --- |',
  ];
  const surgeon = section.baselines.find((b) => b.name === 'surgeon')!;
  const atlas = section.baselines.find((b) => b.name === 'atlas')!;
  surgeon.folds.forEach((row, i) => {
    const a = atlas.folds[i]!;
    lines.push(
      `| Surgeon${row.fold + 1} | ${f3(row.dice.mean)} ± ${f3(row.dice.std)} | ${f3(row.rpd.mean)} ± ${f3(row.rpd.std)} | ${f3(a.dice.mean)} ± ${f3(a.dice.std)} | ${f3(a.rpd.mean)} ± ${f3(a.rpd.std)} |`,
    );
  });
  lines.push(
    `| **Overall** | ${f3(surgeon.dice.mean)} ± ${f3(surgeon.dice.std)} | ${f3(surgeon.rpd.mean)} ± ${f3(surgeon.rpd.std)} | ${f3(atlas.dice.mean)} ± ${f3(atlas.dice.std)} | ${f3(atlas.rpd.mean)} ± ${f3(atlas.rpd.std)} |`,
    '',
    'Overall = mean of the fold means ± mean of the fold stds (the paper reports 0.698 ± 0.088 Dice, 0.780 ± 0.069 RPD for its surgeons).',
  );
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/** `rpdl baseline`: the command's spec, parser and handler. */
export const baselineCommand: Command<BaselineArgs> = {
  name: 'baseline',
  summary: "Experiment 2's surgeon baseline from the data alone",
  synopsis: 'baseline [options]',
  options: {
    data: {
      type: 'string',
      value: '<dir>',
      help: 'directory with x9_7.npy and y9_7.npy (default: the phantom)',
    },
    'phantom-size': {
      type: 'string',
      value: '<n>',
      help: "phantom edge length (16, 32, 64) instead of the profile's",
    },
    profile: {
      type: 'string',
      value: PROFILE_NAMES.join('|'),
      help: 'whose phantom to use (default quick)',
    },
  },
  notes:
    "Each surgeon against the other six (the paper's surgeon baseline) and the atlas baseline.",
  parse({ values }) {
    const args: BaselineArgs = {
      command: 'baseline',
      profile: parseChoice('--profile', stringOption(values, 'profile') ?? 'quick', PROFILE_NAMES),
    };
    const data = stringOption(values, 'data');
    const size = stringOption(values, 'phantom-size');
    if (data !== undefined && size !== undefined) {
      throw new UsageError('--phantom-size and --data exclude each other; give one of them');
    }
    if (data !== undefined) args.data = data;
    if (size !== undefined) args.phantomSize = parsePhantomSize('--phantom-size', size);
    return args;
  },
  run: baseline,
};
