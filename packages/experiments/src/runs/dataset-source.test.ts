import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrainingCases } from '@rpdl/cm-dataset';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dataFolderKind,
  datasetLayout,
  datasetSource,
  sourceExperiment,
  standardizeCases,
  standardizeVolume,
} from './dataset-source.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'rpdl-source-'));
  await mkdir(join(root, 'cm'));
  await writeFile(join(root, 'cm', 'x9_7.npy'), '');
  await writeFile(join(root, 'cm', 'y9_7.npy'), '');
  await mkdir(join(root, 'cases', 'case0'), { recursive: true });
  await mkdir(join(root, 'neither'));
  await writeFile(join(root, 'neither', 'x9_7.npy'), '');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const phantom = { size: 16 as const, seed: 1 };

describe('datasetSource', () => {
  it('tells CM folders from folders of cases, and refuses anything else', () => {
    expect(dataFolderKind(join(root, 'cm'))).toBe('cm');
    expect(dataFolderKind(join(root, 'cases'))).toBe('cases');
    expect(() => dataFolderKind(join(root, 'neither'))).toThrow(
      /is neither the CM layout \(x9_7\.npy and y9_7\.npy\) nor a folder of cases/,
    );
    expect(() => dataFolderKind(join(root, 'missing'))).toThrow(/does not exist; expected a directory holding x9_7.npy and y9_7.npy, or one sub-folder per case/);
  });

  it('needs --split exactly for a folder of cases', () => {
    expect(datasetSource({ data: join(root, 'cm'), phantom })).toEqual({
      kind: 'files',
      dir: join(root, 'cm'),
    });
    const cases = datasetSource({
      data: join(root, 'cases'),
      split: 'leave-one-annotator-out',
      phantom,
    });
    expect(cases).toEqual({
      kind: 'cases',
      dir: join(root, 'cases'),
      split: 'leave-one-annotator-out',
    });
    expect(sourceExperiment(cases)).toBe(2);
    expect(sourceExperiment({ kind: 'files', dir: 'x' })).toBeUndefined();
    expect(() => datasetSource({ data: join(root, 'cases'), phantom })).toThrow(
      /is a folder of cases: add --split/,
    );
    expect(() =>
      datasetSource({ data: join(root, 'cm'), split: 'leave-one-case-out', phantom }),
    ).toThrow(/holds the CM layout/);
    expect(() => datasetSource({ split: 'leave-one-case-out', phantom })).toThrow(
      /not to the phantom/,
    );
  });
});

describe('standardizeVolume', () => {
  it('z-scores one image with the population std', () => {
    // mean 2.5, population std √1.25
    const s = Math.sqrt(1.25);
    expect([...standardizeVolume(Int16Array.of(1, 2, 3, 4))]).toEqual(
      [-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s].map((v) => Math.fround(v)),
    );
    expect([...standardizeVolume([7, 7, 7])]).toEqual([0, 0, 0]);
  });
});

describe('datasetLayout (cases × annotators)', () => {
  const mask = new Uint8Array(2);
  const cases = (annotators: string[][]): TrainingCases => ({
    spatialShape: [1, 1, 2],
    cases: annotators.map((names, c) => ({
      id: `c${c}`,
      image: Float32Array.of(c, c + 1),
      annotations: names.map(() => mask),
      annotators: names,
    })),
  });
  const loco = { kind: 'cases' as const, dir: 'd', split: 'leave-one-case-out' as const };
  const loao = { kind: 'cases' as const, dir: 'd', split: 'leave-one-annotator-out' as const };

  it('counts cases and (shared or most) annotators', () => {
    expect(datasetLayout(loco, cases([['a'], ['a', 'b', 'c']]))).toEqual({ bones: 2, surgeons: 3 });
    expect(datasetLayout(loao, cases([['a', 'b'], ['b', 'a']]))).toEqual({ bones: 2, surgeons: 2 });
    // Every image comes out standardised: (c, c + 1) → (−1, 1).
    expect(standardizeCases(cases([['a'], ['a']])).cases.map((c) => [...c.image])).toEqual([
      [-1, 1],
      [-1, 1],
    ]);
  });

  it('refuses differing annotators, single annotations and a single case', () => {
    expect(() => datasetLayout(loao, cases([['a', 'b'], ['a', 'c']]))).toThrow(
      /d: leave-one-annotator-out needs the same annotators on every case/,
    );
    expect(() => datasetLayout(loco, cases([['a'], ['b']]))).toThrow(/no case has 2 or more/);
    expect(() => datasetLayout(loao, cases([['a'], ['a']]))).toThrow(/at least 2 annotators/);
    expect(() => datasetLayout(loco, cases([['a', 'b']]))).toThrow(/at least 2 cases/);
  });
});
