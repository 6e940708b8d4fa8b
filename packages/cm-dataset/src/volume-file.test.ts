import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../../tooling/testing/temp-dir.js';
import { C_ORDER, concatBytes, extension, nifti, XYZ } from '../test/nifti-fixture.js';
import {
  AnnotatedCasesError,
  loadAnnotatedCases,
  loadVolume,
  parseNifti,
  VolumeFormatError,
} from './index.js';

const BYTES = XYZ.map((v) => v % 256);
const base = { dims: [2, 3, 2], datatype: 2, bitpix: 8, values: BYTES };

async function refusal(bytes: Uint8Array): Promise<string> {
  const started = performance.now();
  const error = await parseNifti(bytes).then(
    () => undefined,
    (e: unknown) => e,
  );
  // Every refusal is decided from the header, long before any timeout.
  expect(performance.now() - started).toBeLessThan(2000);
  expect(error).toBeInstanceOf(VolumeFormatError);
  return (error as Error).message;
}

describe('NIfTI header validation', () => {
  it('refuses an extension size of -16 (a 460-byte file) instead of looping', async () => {
    const bytes = nifti({ ...base, extensions: extension(-16, 96) });
    // esize 16 at byte 336 (inside intent_name) sends a reader that steps back by 16 to 352
    // again: without the check, a cycle.
    new DataView(bytes.buffer).setInt32(336, 16, true);
    expect(bytes.byteLength).toBe(460);
    expect(await refusal(bytes)).toMatch(
      /extension at byte 352 has esize -16; expected a positive multiple of 16/,
    );
  });

  it('refuses malformed extension chains', async () => {
    expect(await refusal(nifti({ ...base, extensions: extension(20, 32) }))).toMatch(
      /esize 20; expected a positive multiple of 16/,
    );
    expect(await refusal(nifti({ ...base, extensions: extension(0, 32) }))).toMatch(
      /extension at byte 352 has esize 0/,
    );
    expect(await refusal(nifti({ ...base, extensions: extension(4096, 32) }))).toMatch(
      /extension at byte 352 of esize 4096 runs past vox_offset 384/,
    );
    const noRoom = nifti(base);
    noRoom[348] = 1;
    expect(await refusal(noRoom)).toMatch(
      /the extension flag is set but vox_offset 352 leaves no room for an extension/,
    );
    const noRoom2 = nifti({ version: 2, ...base });
    noRoom2[540] = 1;
    expect(await refusal(noRoom2)).toMatch(/vox_offset 544 leaves no room/);
    // A second record whose 8-byte header does not fit before the voxels.
    expect(
      await refusal(
        nifti({ ...base, extensions: concatBytes(extension(16, 16), Uint8Array.of(1, 0, 0, 0)) }),
      ),
    ).toMatch(/extension at byte 368: its 8-byte esize\/ecode header runs past vox_offset 372/);
  });

  it('reads a valid chain, zero padding after it, and big-endian records', async () => {
    const chain = concatBytes(extension(32, 32), extension(16, 16), new Uint8Array(16));
    const v = await parseNifti(nifti({ ...base, extensions: chain }));
    expect([...v.data]).toEqual(C_ORDER.map((c) => c % 256));
    const be = nifti({
      ...base,
      datatype: 4,
      bitpix: 16,
      values: XYZ,
      bigEndian: true,
      extensions: extension(48, 48, false),
    });
    const copy = be.slice();
    const w = await parseNifti(be);
    expect([...w.data]).toEqual(C_ORDER);
    // Byte-swapping happened in a copy: the caller's bytes are untouched.
    expect(be).toEqual(copy);
  });

  it('refuses negative, fractional, in-header and out-of-file vox_offset', async () => {
    // 440 declared voxels = the 364-byte file + 76: a reader that trusts the offset decodes
    // from the wrong bytes.
    expect(await refusal(nifti({ ...base, dims: [440], voxOffset: -76 }))).toMatch(
      /vox_offset -76 must be an integer byte offset ≥ 348/,
    );
    expect(await refusal(nifti({ ...base, voxOffset: 100 }))).toMatch(/vox_offset 100 must/);
    expect(await refusal(nifti({ ...base, voxOffset: 352.5 }))).toMatch(/vox_offset 352.5 must/);
    expect(await refusal(nifti({ ...base, voxOffset: 1e6 }))).toMatch(
      /vox_offset 1000000 lies beyond the end of the file \(364 bytes\)/,
    );
    expect(await refusal(nifti({ ...base, voxOffset: 356 }))).toMatch(
      /need 12 bytes after offset 356, the file has 8/,
    );
  });

  it('refuses bad sizeof_hdr, magic, rank, dimensions and bitpix', async () => {
    const wrongSize = nifti(base);
    new DataView(wrongSize.buffer).setInt32(0, 349, true);
    expect(await refusal(wrongSize)).toMatch(/sizeof_hdr is 349 .*expected 348 or 540/);
    const pair = nifti(base);
    pair.set([0x6e, 0x69, 0x31], 344); // "ni1": the .hdr/.img form
    expect(await refusal(pair)).toMatch(/magic at byte 344 is "ni1", expected "n\+1"/);
    expect(await refusal(new Uint8Array(100))).toMatch(/100 bytes is shorter than the 348-byte/);
    const rank = (r: number) => {
      const b = nifti(base);
      new DataView(b.buffer).setInt16(40, r, true);
      return b;
    };
    expect(await refusal(rank(0))).toMatch(/dim\[0\] = 0; expected a rank in 1\.\.7/);
    expect(await refusal(rank(8))).toMatch(/dim\[0\] = 8/);
    expect(await refusal(nifti({ ...base, dims: [2, -3, 2] }))).toMatch(
      /dimensions \(2, -3, 2\) must be positive integers/,
    );
    expect(await refusal(nifti({ ...base, dims: [2, 0, 2] }))).toMatch(/\(2, 0, 2\)/);
    expect(await refusal(nifti({ ...base, bitpix: 16 }))).toMatch(
      /bitpix 16 does not match datatype 2 \(uint8, 8 bits per voxel\)/,
    );
    expect(await refusal(nifti({ ...base, dims: [32767, 32767, 32767] }))).toMatch(
      /need 35181150961663 bytes after offset 352, the file has 12/,
    );
  });

  it('reads NIfTI-2 in either byte order and refuses huge 64-bit dimensions', async () => {
    for (const bigEndian of [false, true]) {
      const v = await parseNifti(
        nifti({ version: 2, dims: [2, 3, 2], datatype: 16, bitpix: 32, values: XYZ, bigEndian }),
      );
      expect(v.dtype).toBe('float32');
      expect([...v.data]).toEqual(C_ORDER);
    }
    const huge = nifti({ version: 2, ...base });
    new DataView(huge.buffer).setBigInt64(24, 2n ** 40n, true);
    expect(await refusal(huge)).toMatch(/declare more bytes than any file can hold|need \d+ bytes/);
    const v2offset = nifti({ version: 2, ...base, voxOffset: 400 });
    expect(await refusal(v2offset)).toMatch(/vox_offset 400 must be an integer byte offset ≥ 540/);
    expect(await refusal(nifti({ version: 2, ...base }).subarray(0, 500))).toMatch(
      /truncated NIfTI-2 header: 500 bytes/,
    );
  });

  it('returns data that shares no memory with the input', async () => {
    const bytes = nifti({ dims: [4], datatype: 2, bitpix: 8, values: [1, 2, 3, 4] });
    const v = await parseNifti(bytes);
    bytes[352] = 9;
    expect([...v.data]).toEqual([1, 2, 3, 4]);
    expect(v.data.byteLength).toBe(v.data.buffer.byteLength);
    const g = await parseNifti(gzipSync(bytes));
    expect(g.data.byteLength).toBe(g.data.buffer.byteLength);
  });
});

describe('.nii.gz inflation bounded by the header', () => {
  it('stops a bomb at the size its header declares', async () => {
    // A valid 364-byte file followed by 64 MiB of zeros, compressed to ~64 kB.
    const bomb = gzipSync(concatBytes(nifti(base), new Uint8Array(64 * 2 ** 20)), { level: 9 });
    expect(bomb.byteLength).toBeLessThan(100_000);
    expect(await refusal(bomb)).toMatch(
      /gzip data expands beyond the 364 bytes its header declares/,
    );
  });

  it('refuses a header that declares more than maxDecompressedBytes before inflating it', async () => {
    const big = nifti({ dims: [64, 64, 64], datatype: 2, bitpix: 8, values: [] });
    // Only the header is compressed: the voxels are never there, the declaration alone decides.
    const gz = gzipSync(big.subarray(0, 352));
    await expect(parseNifti(gz, { maxDecompressedBytes: 10_000 })).rejects.toThrow(
      /expands to more than 10000 bytes \(maxDecompressedBytes\): its header declares 262496/,
    );
    // Within the cap, the same file is reported as too short.
    await expect(parseNifti(gz)).rejects.toThrow(
      /need 262144 bytes after offset 352, the file has 0/,
    );
  });

  it('refuses gzip data that is not NIfTI after inflating only its first bytes', async () => {
    const text = gzipSync(new Uint8Array(32 * 2 ** 20).fill(65));
    expect(await refusal(text)).toMatch(/not a NIfTI-1 or NIfTI-2 file: sizeof_hdr is 1094795585/);
    expect(await refusal(gzipSync(new Uint8Array(10)))).toMatch(/10 bytes is shorter/);
    const flipped = gzipSync(nifti(base));
    flipped[flipped.byteLength - 6]! ^= 0xff; // the CRC32 trailer
    expect(await refusal(flipped)).toMatch(/corrupt gzip data/);
  });
});

describe('errors name the file and the case', () => {
  const dir = useTempDir('volume-file-');

  it('prefixes the path in loadVolume and the case in loadAnnotatedCases', async () => {
    const path = join(dir(), 'hostile.nii');
    await writeFile(path, nifti({ ...base, extensions: extension(-16, 96) }));
    await expect(loadVolume(path)).rejects.toThrow(
      new VolumeFormatError(
        `${path}: extension at byte 352 has esize -16; expected a positive multiple of 16 (the extension flag is set)`,
      ),
    );
    await mkdir(join(dir(), 'cases', 'case07'), { recursive: true });
    await writeFile(join(dir(), 'cases', 'case07', 'image.nii'), nifti(base));
    await writeFile(
      join(dir(), 'cases', 'case07', 'annotation-b.nii.gz'),
      gzipSync(nifti({ ...base, voxOffset: -4 })),
    );
    const error = await loadAnnotatedCases(join(dir(), 'cases')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VolumeFormatError);
    expect(error).not.toBeInstanceOf(AnnotatedCasesError);
    expect((error as Error).message).toMatch(
      /^case case07: .*case07\/annotation-b\.nii\.gz: vox_offset -4 must be/,
    );
  });
});
