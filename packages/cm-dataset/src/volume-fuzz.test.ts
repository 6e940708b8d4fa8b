import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { prng } from '../../../tooling/testing/prng.js';
import { useTempDir } from '../../../tooling/testing/temp-dir.js';
import { concatBytes, extension, nifti } from '../test/nifti-fixture.js';
import { loadVolume, NpyFormatError, VolumeFormatError, writeNpy } from './index.js';

/**
 * Seeded fuzzing of the file readers as a user meets them, through `loadVolume` on files:
 * `.npy`, `.nii` and `.nii.gz` inputs made from valid files by truncation, bit flips, lying
 * header fields, hostile extension chains, negative and huge offsets and dimensions, and gzip
 * bombs. Every input must end in a valid volume or in the package's own error naming the file,
 * within a time bound, and the process's peak memory must stay within a bound over the run.
 */

const MiB = 2 ** 20;
/** Per input; generous for a loaded machine, far below what a hang or a 1 GiB inflate takes. */
const MAX_MS_PER_INPUT = 2000;
/** Peak RSS over the whole run may exceed the RSS at its start by at most this. */
const MAX_PEAK_GROWTH = 256 * MiB;

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)]!;
const int = (random: Random, n: number) => Math.floor(random() * n);

const EXTREMES = [
  -(2 ** 31),
  -32768,
  -76,
  -16,
  -1,
  0,
  1,
  7,
  8,
  16,
  255,
  256,
  348,
  352,
  540,
  32767,
  2 ** 31 - 1,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  1e30,
  352.5,
];

type Field = { at: number; type: 'i16' | 'i32' | 'i64' | 'f32' | 'f64' };
const NIFTI1_FIELDS: Field[] = [
  { at: 0, type: 'i32' }, // sizeof_hdr
  ...Array.from({ length: 8 }, (_, i): Field => ({ at: 40 + 2 * i, type: 'i16' })), // dim
  { at: 70, type: 'i16' }, // datatype
  { at: 72, type: 'i16' }, // bitpix
  { at: 108, type: 'f32' }, // vox_offset
  { at: 112, type: 'f32' }, // scl_slope
  { at: 116, type: 'f32' }, // scl_inter
  { at: 344, type: 'i32' }, // magic
  { at: 348, type: 'i32' }, // extension flag
];
const NIFTI2_FIELDS: Field[] = [
  { at: 0, type: 'i32' },
  { at: 4, type: 'i32' }, // magic
  { at: 12, type: 'i16' },
  { at: 14, type: 'i16' },
  ...Array.from({ length: 8 }, (_, i): Field => ({ at: 16 + 8 * i, type: 'i64' })),
  { at: 168, type: 'i64' }, // vox_offset
  { at: 176, type: 'f64' },
  { at: 184, type: 'f64' },
  { at: 540, type: 'i32' },
];

function writeField(bytes: Uint8Array, field: Field, value: number, littleEndian: boolean) {
  if (field.at + 8 > bytes.byteLength) return;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const whole = Number.isFinite(value) ? Math.trunc(value) : 2 ** 53;
  if (field.type === 'i16') view.setInt16(field.at, whole, littleEndian);
  else if (field.type === 'i32') view.setInt32(field.at, whole, littleEndian);
  else if (field.type === 'i64') view.setBigInt64(field.at, BigInt(whole), littleEndian);
  else if (field.type === 'f32') view.setFloat32(field.at, value, littleEndian);
  else view.setFloat64(field.at, value, littleEndian);
}

interface Seed {
  bytes: Uint8Array;
  kind: 'npy' | 'nifti';
  version?: 1 | 2;
  littleEndian?: boolean;
}

function seeds(random: Random): Seed[] {
  const out: Seed[] = [];
  const values = (n: number) => Array.from({ length: n }, () => int(random, 200) - 100);
  for (const [datatype, bitpix] of [
    [2, 8],
    [256, 8],
    [4, 16],
    [8, 32],
    [16, 32],
    [64, 64],
  ] as const) {
    for (const version of [1, 2] as const) {
      for (const bigEndian of [false, true]) {
        const dims = [1 + int(random, 4), 1 + int(random, 4), 1 + int(random, 3)];
        const count = dims[0]! * dims[1]! * dims[2]!;
        const v = values(count).map((x) => (datatype === 2 ? Math.abs(x) : x));
        const extensions =
          random() < 0.4
            ? concatBytes(extension(32, 32, !bigEndian), extension(16, 16, !bigEndian))
            : undefined;
        out.push({
          kind: 'nifti',
          version,
          littleEndian: !bigEndian,
          bytes: nifti({
            version,
            dims,
            datatype,
            bitpix,
            values: v,
            bigEndian,
            slope: random() < 0.3 ? 0.5 : 1,
            ...(extensions ? { extensions } : {}),
          }),
        });
      }
    }
  }
  for (const dtype of ['int8', 'uint8', 'int16', 'int32', 'float32', 'float64'] as const) {
    const shape = [1 + int(random, 3), 1 + int(random, 4), 1 + int(random, 5)];
    const count = shape[0]! * shape[1]! * shape[2]!;
    const data = {
      int8: () => Int8Array.from(values(count)),
      uint8: () => Uint8Array.from(values(count).map(Math.abs)),
      int16: () => Int16Array.from(values(count)),
      int32: () => Int32Array.from(values(count)),
      float32: () => Float32Array.from(values(count)),
      float64: () => Float64Array.from(values(count)),
    }[dtype]();
    const bytes = writeNpy({ dtype, shape, data, fortranOrder: false } as never);
    out.push({ kind: 'npy', bytes });
    // The same array declared Fortran-ordered: still a valid file.
    const text = new TextDecoder().decode(bytes);
    out.push({
      kind: 'npy',
      bytes: new TextEncoder().encode(
        text.replace("'fortran_order': False", "'fortran_order': True "),
      ),
    });
  }
  return out;
}

/** A mutated copy of a seed, and the extension it is saved under. */
function mutate(random: Random, seed: Seed): { bytes: Uint8Array; ext: string; what: string } {
  let bytes: Uint8Array = seed.bytes.slice();
  const r = random();
  let what: string;
  if (r < 0.2) {
    bytes = bytes.subarray(0, int(random, bytes.byteLength));
    what = 'truncated';
  } else if (r < 0.45) {
    const flips = 1 + int(random, 8);
    for (let i = 0; i < flips; i++) {
      const span = random() < 0.7 ? Math.min(bytes.byteLength, 600) : bytes.byteLength;
      bytes[int(random, span)]! ^= 1 << int(random, 8);
    }
    what = 'bit flips';
  } else if (r < 0.75 && seed.kind === 'nifti') {
    const fields = seed.version === 2 ? NIFTI2_FIELDS : NIFTI1_FIELDS;
    const lies = 1 + int(random, 3);
    for (let i = 0; i < lies; i++) {
      const value =
        random() < 0.7 ? pick(random, EXTREMES) : (random() - 0.5) * 2 ** int(random, 40);
      writeField(bytes, pick(random, fields), value, seed.littleEndian ?? true);
    }
    what = 'lying header';
  } else if (r < 0.9 && seed.kind === 'nifti') {
    // A hostile chain: flag set, then records of arbitrary esize before the voxels.
    const headerSize = seed.version === 2 ? 540 : 348;
    const records = Array.from({ length: 1 + int(random, 3) }, () =>
      extension(
        pick(random, [-16, -(2 ** 31), 0, 8, 20, 16, 32, 2 ** 30]),
        16 * (1 + int(random, 3)),
        seed.littleEndian ?? true,
      ),
    );
    const chain = concatBytes(...records);
    const out = concatBytes(
      bytes.subarray(0, headerSize + 4),
      chain,
      bytes.subarray(headerSize + 4),
    );
    out[headerSize] = 1;
    const view = new DataView(out.buffer);
    const voxOffset =
      headerSize + 4 + chain.byteLength + (random() < 0.3 ? int(random, 64) - 32 : 0);
    if (seed.version === 2) view.setBigInt64(168, BigInt(voxOffset), seed.littleEndian ?? true);
    else view.setFloat32(108, voxOffset, seed.littleEndian ?? true);
    bytes = out;
    what = 'hostile extension chain';
  } else if (r < 0.9) {
    // .npy: a lying shape tuple in the header text.
    const text = new TextDecoder().decode(bytes);
    const huge = Array.from({ length: 1 + int(random, 70) }, () =>
      pick(random, [
        '0',
        '1',
        '2',
        '65535',
        '4294967296',
        '9007199254740993',
        '99999999999999999999',
      ]),
    );
    bytes = new TextEncoder().encode(
      text.replace(/'shape': \([^)]*\)/, `'shape': (${huge.join(', ')},)`),
    );
    what = 'lying shape';
  } else {
    const extra = new Uint8Array(1 + int(random, 64)).map(() => int(random, 256));
    bytes = concatBytes(bytes, extra);
    what = 'trailing bytes';
  }
  if (seed.kind === 'npy') return { bytes, ext: 'npy', what };
  if (random() < 0.35) {
    let gz: Uint8Array = gzipSync(bytes);
    if (random() < 0.3) {
      gz = gz.slice();
      gz[int(random, gz.byteLength)]! ^= 1 << int(random, 8);
      what += ', then a flipped gzip bit';
    }
    return { bytes: gz, ext: 'nii.gz', what: `${what}, gzipped` };
  }
  return { bytes, ext: 'nii', what };
}

/** Gzip members decode as one stream, so n copies of one small member make a cheap bomb. */
function bombs(): { bytes: Uint8Array; what: string }[] {
  const zeros = gzipSync(new Uint8Array(16 * MiB), { level: 9 });
  const gigabyte = Array.from({ length: 64 }, () => zeros);
  const small = nifti({ dims: [2, 3, 2], datatype: 2, bitpix: 8, values: new Array(12).fill(1) });
  const claimsTwoGiB = nifti({ dims: [2048, 1024, 1024], datatype: 2, bitpix: 8, values: [] });
  const claimsOneGiB = nifti({ dims: [1024, 1024, 1024], datatype: 2, bitpix: 8, values: [] });
  return [
    { bytes: concatBytes(gzipSync(small), ...gigabyte), what: 'valid 364 bytes + 1 GiB of zeros' },
    { bytes: concatBytes(...gigabyte), what: '1 GiB of zeros, no header' },
    { bytes: concatBytes(gzipSync(claimsTwoGiB), ...gigabyte), what: 'header claiming 2 GiB' },
    {
      bytes: concatBytes(gzipSync(claimsOneGiB.subarray(0, 352)), ...gigabyte.slice(0, 4)),
      what: 'header claiming 1 GiB, 64 MiB present',
    },
  ];
}

describe('volume readers under seeded fuzzing', () => {
  const dir = useTempDir('volume-fuzz-');

  it('turns every hostile input into a volume or a named package error, in bounded time and memory', async () => {
    const random = prng(20201119);
    const pool = seeds(random);
    const inputs: { bytes: Uint8Array; ext: string; what: string }[] = [];
    for (let i = 0; i < 3000; i++) inputs.push(mutate(random, pick(random, pool)));
    for (const bomb of bombs()) inputs.push({ ...bomb, ext: 'nii.gz' });

    const startRss = process.memoryUsage().rss;
    const outcomes = { read: 0, refused: 0 };
    const refusedBy = new Set<string>();
    for (const [i, input] of inputs.entries()) {
      const path = join(dir(), `input-${i}.${input.ext}`);
      await writeFile(path, input.bytes);
      const started = performance.now();
      let error: unknown;
      let volume: Awaited<ReturnType<typeof loadVolume>> | undefined;
      try {
        volume = await loadVolume(path);
      } catch (e) {
        error = e;
      }
      const ms = performance.now() - started;
      const context = `input ${i} (${input.what}, ${input.ext}, ${input.bytes.byteLength} bytes)`;
      expect(ms, `${context} took ${ms.toFixed(0)} ms`).toBeLessThan(MAX_MS_PER_INPUT);
      if (volume) {
        const count = volume.shape.reduce((p, d) => p * d, 1);
        expect(volume.data.length, context).toBe(count);
        outcomes.read++;
      } else {
        const own = error instanceof VolumeFormatError || error instanceof NpyFormatError;
        expect(own, `${context} threw ${String(error)}`).toBe(true);
        expect((error as Error).message.startsWith(`${path}: `), context).toBe(true);
        refusedBy.add((error as Error).message.slice(path.length + 2, path.length + 30));
        outcomes.refused++;
      }
    }
    const peakGrowth = process.resourceUsage().maxRSS * 1024 - startRss;
    expect(peakGrowth, `peak RSS grew by ${(peakGrowth / MiB).toFixed(0)} MiB`).toBeLessThan(
      MAX_PEAK_GROWTH,
    );
    // The fuzzer reaches both outcomes and many different refusals.
    expect(outcomes.read).toBeGreaterThan(100);
    expect(outcomes.refused).toBeGreaterThan(1200);
    expect(refusedBy.size).toBeGreaterThan(20);
  });
});
