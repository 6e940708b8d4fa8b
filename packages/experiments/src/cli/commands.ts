import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@rpdl/atomic-fs';
import {
  generatePhantom,
  loadNpy,
  MAX_LABEL,
  normalizeInput,
  saveNpy,
  writeCmDataset,
} from '@rpdl/cm-dataset';
import { binarize } from '@rpdl/losses/metrics';
import { loadCheckpoint, writeModelWeights } from '@rpdl/training';
import { tensor } from '@tensorflow/tfjs-core';
import { computeBaselines } from '../evaluation/baselines.js';
import { getProfile } from '../grid/profiles.js';
import { describeBackend, selectBackend } from '../platform/backend.js';
import { writeFigures } from '../report/figures.js';
import { composePanel, labelTile, middleSlice, overlayTile } from '../report/panels.js';
import { encodePng } from '../report/png.js';
import { buildReport } from '../report/report-data.js';
import { writeReport } from '../report/report-files.js';
import {
  datasetSource,
  describeSource,
  loadCmSource,
  standardizeVolume,
} from '../runs/dataset-source.js';
import { RUN_FILES } from '../runs/run-dir.js';
import { buildFromConfig, predictVolume, type RunConfig } from '../runs/run-training.js';
import type { BaselineArgs, PhantomArgs, PredictArgs, ReportArgs } from './args.js';
import { UsageError } from './errors.js';
import type { CliIo } from './reproduce.js';

/**
 * `rpdl report <out>`: merges all shards' runs, writes report.md/.csv/.json and the figures, and
 * prints Tables I–IV.
 *
 * @example
 * await reportCommand({ command: 'report', out: 'runs/quick' }, io);
 */
export async function reportCommand(args: ReportArgs, io: CliIo): Promise<number> {
  const { markdown } = await writeReport(args.out);
  const figures = await writeFigures(args.out);
  io.stdout.write(markdown);
  io.stdout.write(
    `\nwritten: ${['report.md', 'report.csv', 'report.json', 'report.html'].map((f) => join(args.out, f)).join(', ')}` +
      `${figures.length > 0 ? `, ${figures.length} figure(s) under ${join(args.out, 'figures')}` : ''}\n`,
  );
  return 0;
}

/**
 * `rpdl baseline`: Experiment 2's surgeon baseline (each held-out surgeon against the other six)
 * and the atlas baseline, from the data alone.
 *
 * @example
 * await baselineCommand({ command: 'baseline', profile: 'quick', seed: 1234 }, io);
 */
export async function baselineCommand(args: BaselineArgs, io: CliIo): Promise<number> {
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

/**
 * `rpdl phantom`: writes the synthetic CM phantom as x9_7.npy and y9_7.npy.
 *
 * @example
 * await phantomCommand({ command: 'phantom', out: 'data/phantom', size: 64, seed: 2020, bones: 9, surgeons: 7 }, io);
 */
export async function phantomCommand(args: PhantomArgs, io: CliIo): Promise<number> {
  const dataset = generatePhantom({
    size: args.size,
    seed: args.seed,
    bones: args.bones,
    surgeons: args.surgeons,
  });
  await mkdir(args.out, { recursive: true });
  await writeCmDataset(args.out, dataset);
  io.stdout.write(
    `wrote ${join(args.out, 'x9_7.npy')} and ${join(args.out, 'y9_7.npy')}: ${args.bones * args.surgeons} rows of ${args.size}³ (${args.bones} bones × ${args.surgeons} surgeons, seed ${args.seed})\n`,
  );
  return 0;
}

function spatialOf(
  shape: readonly number[],
  expected: readonly [number, number, number],
  path: string,
): void {
  const squeezed = shape.filter(
    (n, i) => !(n === 1 && (i === 0 || i === shape.length - 1) && shape.length > 3),
  );
  if (squeezed.length !== 3 || squeezed.some((n, i) => n !== expected[i])) {
    throw new UsageError(
      `${path} has shape [${shape}], the model takes one [${expected}] label volume (optionally with leading/trailing 1)`,
    );
  }
}

/**
 * `rpdl predict`: the drilled region a trained run predicts for a new bone, as .npy (uint8 0/1)
 * plus a PNG preview of the middle slice (prediction in red over the labels).
 *
 * @example
 * await predictCommand({ command: 'predict', model: 'runs/quick/runs/exp1/unet3d/rpdl/fold-0', input: 'bone.npy', backend: 'cpu' }, io);
 */
export async function predictCommand(args: PredictArgs, io: CliIo): Promise<number> {
  const configPath = join(args.model, RUN_FILES.config);
  let config: RunConfig;
  try {
    config = JSON.parse(await readFile(configPath, 'utf8')) as RunConfig;
  } catch {
    throw new UsageError(
      `--model ${args.model} is not a run directory (cannot read ${configPath})`,
    );
  }
  const input = await loadNpy(args.input);
  spatialOf(input.shape, config.spatialShape, args.input);
  const backend = await selectBackend(args.backend, io.importer ? { importer: io.importer } : {});
  const model = buildFromConfig(config.model);
  try {
    const best = await loadCheckpoint(join(args.model, RUN_FILES.best));
    writeModelWeights(model, best.tensors);
    const prepared =
      config.input === 'standardized' ? standardizeVolume(input.data) : normalizeInput(input.data);
    const x = tensor(prepared, [1, ...config.spatialShape, 1]);
    const prediction = binarize(predictVolume(model, x));
    x.dispose();
    const output = args.output ?? args.input.replace(/(\.npy)?$/, '.prediction.npy');
    await saveNpy(output, {
      dtype: 'uint8',
      shape: [...config.spatialShape],
      data: prediction,
      fortranOrder: false,
    });
    const [, h, w] = config.spatialShape;
    const labels = middleSlice(input.data, config.spatialShape);
    const panel = composePanel(
      [
        labelTile('input', labels, w, h, MAX_LABEL),
        overlayTile(
          'prediction',
          labels,
          middleSlice(prediction, config.spatialShape),
          w,
          h,
          MAX_LABEL,
        ),
      ],
      Math.max(1, Math.floor(256 / w)),
    );
    const preview = output.replace(/\.npy$/, '.png');
    await writeFileAtomic(preview, encodePng(panel));
    const voxels = prediction.reduce((n, v) => n + v, 0);
    io.stdout.write(
      `${config.id} on ${describeBackend(backend)}: ${voxels} voxel(s) drilled (${((100 * voxels) / prediction.length).toFixed(2)} %)\nwritten: ${output}, ${preview}\n`,
    );
    return 0;
  } finally {
    model.dispose();
  }
}
