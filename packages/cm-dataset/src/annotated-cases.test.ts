import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../../tooling/testing/temp-dir.js';
import { C_ORDER, nifti, XYZ } from '../test/nifti-fixture.js';
import {
  AnnotatedCasesError,
  loadAnnotatedCases,
  loadVolume,
  parseNifti,
  saveNpy,
  VolumeFormatError,
} from './index.js';

describe('parseNifti', () => {
  it('reads int16 voxels as shape [nx, ny, nz] in C order', async () => {
    const v = await parseNifti(nifti({ dims: [2, 3, 2], datatype: 4, bitpix: 16, values: XYZ }));
    expect(v.dtype).toBe('int16');
    expect(v.shape).toEqual([2, 3, 2]);
    expect([...v.data]).toEqual(C_ORDER);
  });

  it('reads big-endian float64, gzip, and drops trailing singleton dimensions', async () => {
    const bytes = nifti({
      dims: [2, 3, 2, 1],
      datatype: 64,
      bitpix: 64,
      values: XYZ,
      bigEndian: true,
    });
    const v = await parseNifti(gzipSync(bytes));
    expect(v.dtype).toBe('float64');
    expect(v.shape).toEqual([2, 3, 2]);
    expect([...v.data]).toEqual(C_ORDER);
  });

  it('stops a .nii.gz that expands past maxDecompressedBytes before it exhausts memory', async () => {
    const bytes = nifti({
      dims: [64, 64, 64],
      datatype: 2,
      bitpix: 8,
      values: new Array(64 ** 3).fill(0),
    });
    const gz = gzipSync(bytes); // 262 kB of voxels compress to well under 1 kB
    await expect(parseNifti(gz, { maxDecompressedBytes: 100_000 })).rejects.toThrow(
      /expands to more than 100000 bytes/,
    );
    const v = await parseNifti(gz, { maxDecompressedBytes: bytes.byteLength });
    expect(v.shape).toEqual([64, 64, 64]);
    await expect(parseNifti(gz, { maxDecompressedBytes: 0 })).rejects.toThrow(/positive integer/);
    await expect(parseNifti(gzipSync(bytes).subarray(0, 40))).rejects.toThrow(/corrupt gzip/);
  });

  it('applies scl_slope and scl_inter into float32', async () => {
    const v = await parseNifti(
      nifti({ dims: [2], datatype: 256, bitpix: 8, values: [-2, 3], slope: 0.5, inter: 1 }),
    );
    expect(v.dtype).toBe('float32');
    expect([...v.data]).toEqual([0, 2.5]);
  });

  it('refuses non-NIfTI data, unsupported datatypes and wrong data sizes', async () => {
    await expect(parseNifti(new Uint8Array(400))).rejects.toThrow(/not a NIfTI-1 or NIfTI-2/);
    await expect(
      parseNifti(nifti({ dims: [2], datatype: 512, bitpix: 16, values: [1, 2] })),
    ).rejects.toThrow(/datatype 512 is not supported/);
    const short = nifti({
      dims: [2, 3, 2],
      datatype: 2,
      bitpix: 8,
      values: XYZ.map((v) => v % 256),
    }).subarray(0, 360);
    await expect(parseNifti(short)).rejects.toThrow(
      /need 12 bytes after offset 352, the file has 8/,
    );
    const long = nifti({ dims: [2], datatype: 2, bitpix: 8, values: [1, 2], extraBytes: 3 });
    await expect(parseNifti(long)).rejects.toThrow(VolumeFormatError);
    await expect(parseNifti(Uint8Array.of(0x1f, 0x8b, 8, 0, 1, 2, 3))).rejects.toThrow(
      /corrupt gzip|not a NIfTI/,
    );
  });
});

describe('loadAnnotatedCases', () => {
  const dir = useTempDir('cases-');

  async function makeCase(root: string, name: string, files: Record<string, Uint8Array>) {
    await mkdir(join(root, name), { recursive: true });
    for (const [f, bytes] of Object.entries(files)) await writeFile(join(root, name, f), bytes);
  }
  const mask = (values: number[]) => nifti({ dims: [2, 3, 2], datatype: 2, bitpix: 8, values });
  const ones = (idx: number[]) => XYZ.map((_, i) => (idx.includes(i) ? 1 : 0));

  it('reads NIfTI and .npy cases alike, sorted, with annotations in C order', async () => {
    const root = join(dir(), 'ok');
    await makeCase(root, 'b-nifti', {
      'image.nii.gz': gzipSync(nifti({ dims: [2, 3, 2], datatype: 16, bitpix: 32, values: XYZ })),
      'annotation-2.nii': mask(ones([1])),
      'annotation-1.nii': mask(ones([0, 11])),
      'notes.txt': new TextEncoder().encode('ignored'),
    });
    await mkdir(join(root, 'a-npy'), { recursive: true });
    await saveNpy(join(root, 'a-npy', 'image.npy'), {
      dtype: 'float32',
      shape: [2, 3, 2],
      data: Float32Array.from(C_ORDER),
      fortranOrder: false,
    });
    await saveNpy(join(root, 'a-npy', 'mask0.npy'), {
      dtype: 'uint8',
      shape: [2, 3, 2],
      data: Uint8Array.from(C_ORDER.map((v) => (v === 0 ? 1 : 0))),
      fortranOrder: false,
    });
    const cases = await loadAnnotatedCases(root);
    expect(cases.map((c) => c.name)).toEqual(['a-npy', 'b-nifti']);
    const [a, b] = cases;
    expect(a!.image.data).toEqual(b!.image.data);
    expect(b!.files).toEqual({
      image: 'image.nii.gz',
      annotations: ['annotation-1.nii', 'annotation-2.nii'],
    });
    // NIfTI voxel 11 is (x, y, z) = (1, 2, 1): C index 1·6 + 2·2 + 1 = 11; voxel 1 is (1, 0, 0): C index 6.
    expect([...b!.annotations[0]!].flatMap((v, i) => (v ? [i] : []))).toEqual([0, 11]);
    expect([...b!.annotations[1]!].flatMap((v, i) => (v ? [i] : []))).toEqual([6]);
    expect(a!.annotations).toHaveLength(1);
    expect(a!.annotations[0]![0]).toBe(1);
  });

  it('refuses badly laid-out folders with specific errors', async () => {
    const img = nifti({ dims: [2, 3, 2], datatype: 2, bitpix: 8, values: XYZ.map(() => 1) });
    const bad = async (name: string, files: Record<string, Uint8Array>) => {
      const root = join(dir(), name);
      await makeCase(root, 'c1', files);
      return loadAnnotatedCases(root);
    };
    await expect(bad('no-image', { 'mask.nii': mask(ones([])) })).rejects.toThrow(
      /exactly one image .* found none/,
    );
    await expect(
      bad('two-images', {
        'image.nii': img,
        'image.npy': new Uint8Array(0),
        'mask.nii': mask(ones([])),
      }),
    ).rejects.toThrow(/found image\.nii, image\.npy/);
    await expect(bad('no-annotations', { 'image.nii': img })).rejects.toThrow(
      /at least 1 annotation/,
    );
    await expect(
      bad('non-binary', { 'image.nii': img, 'mask.nii': mask(XYZ.map(() => 2)) }),
    ).rejects.toThrow(/mask\.nii: voxel 0 is 2; annotations must be binary/);
    await expect(
      bad('shape', {
        'image.nii': img,
        'mask.nii': nifti({ dims: [2, 2, 3], datatype: 2, bitpix: 8, values: ones([]) }),
      }),
    ).rejects.toThrow(/shape \(2, 2, 3\) differs from the image's \(2, 3, 2\)/);
    await mkdir(join(dir(), 'empty'));
    await expect(loadAnnotatedCases(join(dir(), 'empty'))).rejects.toThrow(AnnotatedCasesError);
    await expect(loadAnnotatedCases(join(dir(), 'empty'), { minAnnotations: 0 })).rejects.toThrow(
      /minAnnotations/,
    );
  });

  it('loadVolume refuses unknown extensions and names the file', async () => {
    await expect(loadVolume(join(dir(), 'x.mha'))).rejects.toThrow(
      /expected a \.npy, \.nii or \.nii\.gz/,
    );
    await writeFile(join(dir(), 'broken.nii'), new Uint8Array(10));
    await expect(loadVolume(join(dir(), 'broken.nii'))).rejects.toThrow(/broken\.nii: not a NIfTI/);
  });
});
