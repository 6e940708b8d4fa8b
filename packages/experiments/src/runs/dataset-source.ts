import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  type CaseSplitKind,
  type CmDataset,
  generatePhantom,
  loadCmDataset,
  loadTrainingCases,
  type PhantomSize,
  sharedAnnotators,
  type TrainingCases,
} from '@rpdl/cm-dataset';
import { UsageError } from '../cli/errors.js';
import type { ExperimentId, GridLayout } from '../grid/grid.js';

/** Where a reproduction's data comes from; stored in the output directory so `report` can reload it. */
export type DatasetSource =
  | { kind: 'phantom'; size: PhantomSize; seed: number; bones: number; surgeons: number }
  | { kind: 'files'; dir: string }
  | { kind: 'cases'; dir: string; split: CaseSplitKind };

/** The file names that mark a folder as the CM layout. */
export const CM_FILES = Object.freeze(['x9_7.npy', 'y9_7.npy'] as const);

/**
 * What a `--data` folder holds: the CM layout (`x9_7.npy` and `y9_7.npy`), or one sub-folder per
 * case (read by `loadTrainingCases`).
 *
 * @throws UsageError when the folder does not exist or is neither, saying what each needs.
 *
 * @example
 * dataFolderKind('data/cm'); // 'cm'
 */
export function dataFolderKind(dir: string): 'cm' | 'cases' {
  const expected = `expected a directory holding ${CM_FILES.join(' and ')}, or one sub-folder per case`;
  if (!existsSync(dir)) throw new UsageError(`--data ${dir} does not exist; ${expected}`);
  if (!statSync(dir).isDirectory()) {
    throw new UsageError(`--data ${dir} is not a directory; ${expected}`);
  }
  if (CM_FILES.every((f) => existsSync(join(dir, f)))) return 'cm';
  if (readdirSync(dir, { withFileTypes: true }).some((e) => e.isDirectory())) return 'cases';
  throw new UsageError(
    `--data ${dir} is neither the CM layout (${CM_FILES.join(' and ')}) nor a folder of cases (one sub-folder per case with image.{npy,nii,nii.gz} and annotation*/mask*/label* volumes)`,
  );
}

/**
 * The data source for the given flags: the CM files or the folder of cases in `data` (`split`
 * is required for, and only for, a folder of cases), or the profile's phantom.
 *
 * @throws UsageError for a folder that is neither kind, a folder of cases without `split`, or
 *   `split` with CM files or the phantom.
 *
 * @example
 * datasetSource({ phantom: { size: 16, seed: 2020 } }); // { kind: 'phantom', size: 16, … }
 */
export function datasetSource(options: {
  data?: string;
  split?: CaseSplitKind;
  phantom: { size: PhantomSize; seed: number };
}): DatasetSource {
  if (options.data === undefined) {
    if (options.split !== undefined) {
      throw new UsageError('--split applies to a --data folder of cases, not to the phantom');
    }
    return {
      kind: 'phantom',
      size: options.phantom.size,
      seed: options.phantom.seed,
      bones: 9,
      surgeons: 7,
    };
  }
  const dir = resolve(options.data);
  if (dataFolderKind(options.data) === 'cm') {
    if (options.split !== undefined) {
      throw new UsageError(
        `--split applies to a folder of cases; ${dir} holds the CM layout, whose two experiments --experiment selects`,
      );
    }
    return { kind: 'files', dir };
  }
  if (options.split === undefined) {
    throw new UsageError(
      `${dir} is a folder of cases: add --split leave-one-case-out (Experiment 1's protocol) or --split leave-one-annotator-out (Experiment 2's)`,
    );
  }
  return { kind: 'cases', dir, split: options.split };
}

/**
 * One image standardised on its own: `(x − mean) / std` over all its voxels (population std),
 * into a new Float32Array; a constant image becomes all 0.
 *
 * @example
 * standardizeVolume([1, 3]); // Float32Array [-1, 1]
 */
export function standardizeVolume(image: ArrayLike<number | bigint>): Float32Array {
  const n = image.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Number(image[i]);
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (Number(image[i]) - mean) ** 2;
  const std = Math.sqrt(squares / n);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = std > 0 ? (Number(image[i]) - mean) / std : 0;
  return out;
}

/**
 * Standardises each case's image on its own (per-volume z-score, {@link standardizeVolume}):
 * the input rule for a folder of cases, whose intensities follow no known scale (the CM labels
 * use x/6.5 − 1). Cases of different sizes are padded (with 0) before.
 *
 * @example
 * standardizeCases(cases).cases[0].image; // mean 0, std 1
 */
export function standardizeCases(source: TrainingCases): TrainingCases {
  return {
    spatialShape: [...source.spatialShape],
    cases: source.cases.map((c) => ({ ...c, image: standardizeVolume(c.image) })),
  };
}

/**
 * Loads (or generates) the dataset a source describes; a folder of cases comes back as
 * standardised training cases (see {@link standardizeCases}).
 *
 * @example
 * const dataset = await loadDataset({ kind: 'files', dir: '/data/cm' });
 */
export async function loadDataset(source: DatasetSource): Promise<CmDataset | TrainingCases> {
  if (source.kind === 'files') return loadCmDataset(source.dir);
  if (source.kind === 'cases') return standardizeCases(await loadTrainingCases(source.dir));
  return generatePhantom({
    size: source.size,
    seed: source.seed,
    bones: source.bones,
    surgeons: source.surgeons,
  });
}

/**
 * Loads a source that must be the CM layout (the phantom or CM files), for what only exists on
 * it (Fig. 4's label panels, the `baseline` command's surgeon table).
 *
 * @throws UsageError for a folder of cases.
 *
 * @example
 * const dataset = await loadCmSource({ kind: 'phantom', size: 16, seed: 1, bones: 9, surgeons: 7 });
 */
export async function loadCmSource(source: DatasetSource): Promise<CmDataset> {
  if (source.kind === 'cases') {
    throw new UsageError(`${source.dir} is a folder of cases, not the CM layout`);
  }
  return (await loadDataset(source)) as CmDataset;
}

/**
 * The experiment a folder of cases runs (its split's protocol); undefined for CM data, which has
 * both.
 *
 * @example
 * sourceExperiment({ kind: 'cases', dir: 'd', split: 'leave-one-annotator-out' }); // 2
 */
export function sourceExperiment(source: DatasetSource): ExperimentId | undefined {
  if (source.kind !== 'cases') return undefined;
  return source.split === 'leave-one-case-out' ? 1 : 2;
}

/**
 * The grid layout of a dataset: bones × surgeons, or for cases, cases × annotators (the shared
 * annotators for `leave-one-annotator-out`, the most annotations of any case otherwise).
 *
 * @throws UsageError when `leave-one-annotator-out` meets cases with different annotators, or
 *   no case has two annotations to compare losses on.
 *
 * @example
 * datasetLayout(source, dataset); // { bones: 6, surgeons: 4 }
 */
export function datasetLayout(
  source: DatasetSource,
  dataset: CmDataset | TrainingCases,
): GridLayout {
  if ('layout' in dataset) return { ...dataset.layout };
  let surgeons: number;
  if (source.kind === 'cases' && source.split === 'leave-one-annotator-out') {
    try {
      surgeons = sharedAnnotators(dataset).length;
    } catch (error) {
      throw new UsageError(`${source.dir}: ${(error as Error).message}`);
    }
  } else {
    surgeons = Math.max(...dataset.cases.map((c) => c.annotations.length));
  }
  if (surgeons < 2) {
    throw new UsageError(
      `${source.kind === 'cases' ? source.dir : 'the cases'}: ${source.kind === 'cases' && source.split === 'leave-one-annotator-out' ? 'leave-one-annotator-out needs at least 2 annotators shared by every case' : 'no case has 2 or more annotations; the multi-annotator losses need them'}`,
    );
  }
  if (dataset.cases.length < 2) {
    throw new UsageError('a folder of cases needs at least 2 cases to leave one out');
  }
  return { bones: dataset.cases.length, surgeons };
}

/**
 * A short human description of a source.
 *
 * @example
 * describeSource({ kind: 'phantom', size: 16, seed: 2020, bones: 9, surgeons: 7 }); // 'phantom 16³ (9 bones × 7 surgeons, seed 2020)'
 */
export function describeSource(source: DatasetSource): string {
  switch (source.kind) {
    case 'files':
      return `CM files in ${source.dir}`;
    case 'cases':
      return `cases in ${source.dir} (${source.split}, images standardised per volume)`;
    case 'phantom':
      return `phantom ${source.size}³ (${source.bones} bones × ${source.surgeons} surgeons, seed ${source.seed})`;
  }
}
