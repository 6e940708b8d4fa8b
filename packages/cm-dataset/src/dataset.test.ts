import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../../tooling/testing/temp-dir.js';
import {
  type CmDataset,
  CmDatasetError,
  cmDatasetFromArrays,
  generatePhantom,
  loadCmDataset,
  type NpyArray,
  saveNpy,
  validateCmDataset,
  writeCmDataset,
} from './index.js';

/** (rows, 1, 1, 2) int8 arrays of a 2-bone × 2-surgeon layout, row = bone·2 + surgeon. */
function arrays(): { x: NpyArray; y: NpyArray } {
  return {
    x: {
      dtype: 'int8',
      shape: [4, 1, 1, 2],
      data: Int8Array.of(3, 13, 3, 13, 0, 1, 0, 1),
      fortranOrder: false,
    },
    y: {
      dtype: 'int8',
      shape: [4, 1, 1, 2],
      data: Int8Array.of(1, 0, 1, 1, 0, 0, 0, 1),
      fortranOrder: false,
    },
  };
}

describe('cmDatasetFromArrays', () => {
  it('splits rows into one input per bone and one mask per row, inferring S', () => {
    const { x, y } = arrays();
    const d = cmDatasetFromArrays(x, y);
    expect(d.layout).toEqual({ bones: 2, surgeons: 2 });
    expect(d.spatialShape).toEqual([1, 1, 2]);
    expect(d.inputs.map((a) => [...a])).toEqual([
      [3, 13],
      [0, 1],
    ]);
    expect(d.masks.map((a) => [...a])).toEqual([
      [1, 0],
      [1, 1],
      [0, 0],
      [0, 1],
    ]);
  });

  it('takes an explicit layout and checks it against the rows', () => {
    const { x, y } = arrays();
    expect(() => cmDatasetFromArrays(x, y, { layout: { bones: 3, surgeons: 2 } })).toThrow(
      /layout 3 bones × 2 surgeons does not match 4 rows/,
    );
    // 4 × 1 is a valid reading only if each bone has one row, which these inputs allow.
    expect(cmDatasetFromArrays(x, y, { layout: { bones: 4, surgeons: 1 } }).inputs).toHaveLength(4);
  });

  const cases: Array<[string, (a: { x: NpyArray; y: NpyArray }) => void, RegExp]> = [
    [
      'a 3-D array',
      (a) => {
        a.x = { ...a.x, shape: [4, 1, 2] } as NpyArray;
      },
      /expected shape \(rows, D, H, W\), got \(4, 1, 2\)/,
    ],
    [
      'float labels',
      (a) => {
        a.x = {
          dtype: 'float32',
          shape: [4, 1, 1, 2],
          data: new Float32Array(8),
          fortranOrder: false,
        };
      },
      /expected integer labels .*got float32/,
    ],
    [
      'different shapes',
      (a) => {
        a.y = { ...a.y, shape: [2, 1, 2, 2] } as NpyArray;
      },
      /shape \(4, 1, 1, 2\) differs from .* shape \(2, 1, 2, 2\)/,
    ],
    [
      'a label above 13',
      (a) => {
        a.x.data[0] = 14;
        a.x.data[2] = 14;
      },
      /row 0 voxel 0 has label 14; labels must be in 0\.\.13/,
    ],
    [
      'a negative label',
      (a) => {
        a.x.data[4] = -1;
        a.x.data[6] = -1;
      },
      /row 2 voxel 0 has label -1/,
    ],
    [
      'a non-binary mask',
      (a) => {
        a.y.data[3] = 2;
      },
      /row 1 voxel 1 is 2; masks must be binary/,
    ],
    [
      'rows of one bone with different inputs',
      (a) => {
        a.x.data[7] = 2;
      },
      /row 3 differs from row 2 at voxel 1; the 2 rows of bone 1 must share one input/,
    ],
    [
      'an input repeat count that does not divide the rows',
      (a) => {
        a.x.data.set([3, 13], 4);
      },
      /row 0's input repeats 3 times but 4 rows/,
    ],
  ];
  it.each(cases)('refuses %s', (_name, spoil, message) => {
    const a = arrays();
    spoil(a);
    expect(() => cmDatasetFromArrays(a.x, a.y)).toThrow(CmDatasetError);
    expect(() => cmDatasetFromArrays(a.x, a.y)).toThrow(message);
  });
});

describe('loadCmDataset / writeCmDataset', () => {
  const dir = useTempDir('cm-');

  it('round-trips a phantom through x9_7.npy / y9_7.npy', async () => {
    const data = generatePhantom({ size: 16, seed: 4 });
    await writeCmDataset(dir(), data);
    expect((await readdir(dir())).sort()).toEqual(['x9_7.npy', 'y9_7.npy']);
    const back = await loadCmDataset(dir());
    expect(back.layout).toEqual({ bones: 9, surgeons: 7 });
    expect(back.inputs).toEqual(data.inputs);
    expect(back.masks).toEqual(data.masks);
  });

  it('reads other file names and names the file in errors', async () => {
    const { x, y } = arrays();
    await saveNpy(join(dir(), 'x.npy'), x);
    await saveNpy(join(dir(), 'y.npy'), { ...y, shape: [4, 2] } as NpyArray);
    await expect(loadCmDataset(dir(), { inputs: 'x.npy', masks: 'y.npy' })).rejects.toThrow(
      /y\.npy: expected shape \(rows, D, H, W\)/,
    );
    await expect(loadCmDataset(dir(), { inputs: 'missing.npy' })).rejects.toThrow(/ENOENT/);
  });
});

describe('validateCmDataset', () => {
  const good = (): CmDataset => ({
    layout: { bones: 1, surgeons: 2 },
    spatialShape: [1, 1, 2],
    inputs: [Int8Array.of(1, 2)],
    masks: [Uint8Array.of(1, 0), Uint8Array.of(0, 1)],
  });
  it('accepts a valid dataset and refuses each kind of defect', () => {
    expect(() => validateCmDataset(good())).not.toThrow();
    const spoil = (f: (d: CmDataset) => void) => {
      const d = good();
      f(d);
      return () => validateCmDataset(d);
    };
    expect(
      spoil((d) => {
        d.layout.bones = 0;
      }),
    ).toThrow(/positive integer bones/);
    expect(
      spoil((d) => {
        d.spatialShape = [1, 0, 2];
      }),
    ).toThrow(/three positive integers/);
    expect(
      spoil((d) => {
        d.inputs.push(Int8Array.of(0, 0));
      }),
    ).toThrow(/expected 1 inputs/);
    expect(
      spoil((d) => {
        d.masks.pop();
      }),
    ).toThrow(/expected 2 masks/);
    expect(
      spoil((d) => {
        d.inputs[0] = Int8Array.of(1);
      }),
    ).toThrow(/inputs\[0\] must be an Int8Array of 2 voxels/);
    expect(
      spoil((d) => {
        d.inputs[0]![1] = 20;
      }),
    ).toThrow(/inputs\[0\]\[1\] = 20/);
    expect(
      spoil((d) => {
        d.masks[1]![0] = 3;
      }),
    ).toThrow(/masks\[1\]\[0\] = 3/);
    expect(
      spoil((d) => {
        d.masks[1] = new Float32Array(2) as unknown as Uint8Array;
      }),
    ).toThrow(/masks\[1\] must be a Uint8Array/);
  });
  it('writeCmDataset refuses an invalid dataset before writing', async () => {
    const d = good();
    d.masks.pop();
    await expect(writeCmDataset('/nonexistent-dir', d)).rejects.toThrow(/expected 2 masks/);
  });
});
