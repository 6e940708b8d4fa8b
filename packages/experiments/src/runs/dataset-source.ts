import { resolve } from 'node:path';
import { type CmDataset, generatePhantom, loadCmDataset, type PhantomSize } from '@rpdl/cm-dataset';

/** Where a reproduction's data comes from; stored in the output directory so `report` can reload it. */
export type DatasetSource =
  | { kind: 'phantom'; size: PhantomSize; seed: number; bones: number; surgeons: number }
  | { kind: 'files'; dir: string };

/**
 * The data source for the given flags: the CM files in `data`, or the profile's phantom.
 *
 * @example
 * datasetSource({ phantom: { size: 16, seed: 2020 } }); // { kind: 'phantom', size: 16, … }
 */
export function datasetSource(options: {
  data?: string;
  phantom: { size: PhantomSize; seed: number };
}): DatasetSource {
  if (options.data !== undefined) return { kind: 'files', dir: resolve(options.data) };
  return {
    kind: 'phantom',
    size: options.phantom.size,
    seed: options.phantom.seed,
    bones: 9,
    surgeons: 7,
  };
}

/**
 * Loads (or generates) the dataset a source describes.
 *
 * @example
 * const dataset = await loadDataset({ kind: 'files', dir: '/data/cm' });
 */
export async function loadDataset(source: DatasetSource): Promise<CmDataset> {
  if (source.kind === 'files') return loadCmDataset(source.dir);
  return generatePhantom({
    size: source.size,
    seed: source.seed,
    bones: source.bones,
    surgeons: source.surgeons,
  });
}

/**
 * A short human description of a source.
 *
 * @example
 * describeSource({ kind: 'phantom', size: 16, seed: 2020, bones: 9, surgeons: 7 }); // 'phantom 16³ (9 bones × 7 surgeons, seed 2020)'
 */
export function describeSource(source: DatasetSource): string {
  return source.kind === 'files'
    ? `CM files in ${source.dir}`
    : `phantom ${source.size}³ (${source.bones} bones × ${source.surgeons} surgeons, seed ${source.seed})`;
}
