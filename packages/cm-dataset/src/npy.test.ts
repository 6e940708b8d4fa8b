import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prng } from '../../../tooling/testing/prng.js';
import {
  loadNpy,
  NPY_MAX_RANK,
  type NpyArray,
  NpyFormatError,
  readNpy,
  saveNpy,
  writeNpy,
} from './index.js';
import { fortranToC } from './npy.js';

const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

// Files written by numpy 2.4 (np.lib.format.write_array), kept as bytes so the test needs no Python.
const NUMPY = {
  // np.asfortranarray(np.array([[1, -2, 3], [400, 5, -600]], dtype='>i2'))
  bigEndianFortran:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPmkyJywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAQGQ//4ABQAD/ag=',
  // np.array([1.5, -2.25], '<f8'), version (2, 0)
  v2: 'k05VTVBZAgB0AAAAeydkZXNjcic6ICc8ZjgnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAD4PwAAAAAAAALA',
  // np.array([[7, 8]], 'u1'), version (3, 0)
  v3: 'k05VTVBZAwB0AAAAeydkZXNjcic6ICd8dTEnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMSwgMiksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoHCA==',
  // np.array([{'a': 1}, None], dtype=object), allow_pickle=True
  object:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnfE8nLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAqABJWUAAAAAAAAAIwWbnVtcHkuX2NvcmUubXVsdGlhcnJheZSMDF9yZWNvbnN0cnVjdJSTlIwFbnVtcHmUjAduZGFycmF5lJOUSwCFlEMBYpSHlFKUKEsBSwKFlGgDjAVkdHlwZZSTlIwCTziUiYiHlFKUKEsDjAF8lE5OTkr/////Sv////9LP3SUYoldlCh9lIwBYZRLAXNOZXSUYi4=',
  // np.asfortranarray(np.arange(24, dtype='<f4').reshape(2, 3, 4))
  fortran3d:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMywgNCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAABAQQAAgEAAAIBBAAAAQQAAoEEAAIA/AABQQQAAoEAAAIhBAAAQQQAAqEEAAABAAABgQQAAwEAAAJBBAAAgQQAAsEEAAEBAAABwQQAA4EAAAJhBAAAwQQAAuEE=',
  // np.array([-1, 16909060], '>i4')
  bigEndianInt32:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPmk0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAr/////AQIDBA==',
  // np.array(3.5, '<f4')
  scalar:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAGBA',
};

/** Builds a version-1 file from a header dict and raw data bytes. */
function npyFile(dict: string, data: ArrayLike<number> = [], version = 1): Uint8Array {
  const pre = version === 1 ? 10 : 12;
  const header = new TextEncoder().encode(`${dict}\n`);
  const out = new Uint8Array(pre + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(header, pre);
  out.set(data, pre + header.length);
  return out;
}

describe('readNpy on files numpy wrote', () => {
  it('reads big-endian int16 in Fortran order as C-ordered host values', () => {
    const a = readNpy(b64(NUMPY.bigEndianFortran));
    expect(a.dtype).toBe('int16');
    expect(a.shape).toEqual([2, 3]);
    expect(a.fortranOrder).toBe(false);
    expect([...a.data]).toEqual([1, -2, 3, 400, 5, -600]);
  });

  it('transposes a 3-D Fortran array: element (i, j, k) holds 12i + 4j + k', () => {
    const a = readNpy(b64(NUMPY.fortran3d));
    expect(a.shape).toEqual([2, 3, 4]);
    expect([...a.data]).toEqual([...Array(24).keys()]);
  });

  it('reads format versions 2.0 and 3.0', () => {
    const v2 = readNpy(b64(NUMPY.v2));
    expect(v2.dtype).toBe('float64');
    expect([...v2.data]).toEqual([1.5, -2.25]);
    const v3 = readNpy(b64(NUMPY.v3));
    expect(v3.dtype).toBe('uint8');
    expect(v3.shape).toEqual([1, 2]);
    expect([...v3.data]).toEqual([7, 8]);
  });

  it('byte-swaps big-endian int32 (0x01020304 = 16909060)', () => {
    expect([...readNpy(b64(NUMPY.bigEndianInt32)).data]).toEqual([-1, 16909060]);
  });

  it('reads from a pooled Node Buffer (non-zero byteOffset) without touching its neighbours', () => {
    const bytes = Buffer.from(b64(NUMPY.bigEndianInt32));
    const a = readNpy(bytes);
    expect(a.data.length).toBe(2);
    expect([...a.data]).toEqual([-1, 16909060]);
  });

  it('reads a 0-d array as shape [] with one element', () => {
    const a = readNpy(b64(NUMPY.scalar));
    expect(a.shape).toEqual([]);
    expect([...a.data]).toEqual([3.5]);
  });

  it('refuses pickled object arrays', () => {
    expect(() => readNpy(b64(NUMPY.object))).toThrow(/object arrays .*pickled.* refused/);
  });
});

describe('readNpy on hand-built files', () => {
  it("reads '|i1' and '<i1' alike and '>f4' byte-swapped", () => {
    const dict = (d: string, s: string) =>
      `{'descr': '${d}', 'fortran_order': False, 'shape': ${s}, }`;
    expect([...readNpy(npyFile(dict('|i1', '(2,)'), [0xff, 0x05])).data]).toEqual([-1, 5]);
    expect([...readNpy(npyFile(dict('<i1', '(2,)'), [0xff, 0x05])).data]).toEqual([-1, 5]);
    // 0x3fc00000 is 1.5 in IEEE-754 single precision.
    expect([...readNpy(npyFile(dict('>f4', '(1,)'), [0x3f, 0xc0, 0, 0])).data]).toEqual([1.5]);
  });

  it('accepts double quotes, Python 2 long dims and keys in any order', () => {
    const a = readNpy(
      npyFile(`{"shape": (2L, 1L), "fortran_order": False, "descr": "<i2"}`, [1, 0, 2, 0]),
    );
    expect(a.shape).toEqual([2, 1]);
    expect([...a.data]).toEqual([1, 2]);
  });

  const good = "{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }";
  /** `file` with the bytes at the given offsets overwritten. */
  const patched = (file: Uint8Array, bytes: Record<number, number>) => {
    for (const [offset, value] of Object.entries(bytes)) file[Number(offset)] = value;
    return file;
  };
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['a short file', new Uint8Array(5), /shorter than the 10-byte preamble/],
    ['a wrong magic string', new Uint8Array(20), /magic string/],
    ['version 4.0', patched(npyFile(good, [1, 0, 2, 0]), { 6: 4 }), /version 4\.0/],
    ['a minor version 1', patched(npyFile(good, [1, 0, 2, 0]), { 7: 1 }), /version 1\.1/],
    [
      'a header longer than the file',
      patched(npyFile(good), { 8: 0xff, 9: 0xff }),
      /header claims 65535 bytes/,
    ],
    [
      'a cut-off v2 length field',
      npyFile(good, [], 2).subarray(0, 11),
      /header length field is cut off/,
    ],
    ['non-ASCII in a v1 header', npyFile("{'descr': '<i2\u00e9'}"), /not ASCII/],
    [
      'a structured dtype',
      npyFile("{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (1,), }"),
      /structured/,
    ],
    [
      'an unsupported dtype',
      npyFile("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new Array(8).fill(0)),
      /unsupported dtype '<c8'/,
    ],
    [
      'uint16',
      npyFile("{'descr': '<u2', 'fortran_order': False, 'shape': (1,), }", [0, 0]),
      /unsupported dtype '<u2'/,
    ],
    [
      "'|' on a 2-byte type",
      npyFile("{'descr': '|i2', 'fortran_order': False, 'shape': (1,), }", [0, 0]),
      /explicit byte order/,
    ],
    [
      'a missing shape',
      npyFile("{'descr': '<i2', 'fortran_order': False}", [1, 0]),
      /'shape' must be a tuple/,
    ],
    [
      'a missing fortran_order',
      npyFile("{'descr': '<i2', 'shape': (1,)}", [1, 0]),
      /'fortran_order' must be True or False/,
    ],
    [
      'an unknown key',
      npyFile("{'descr': '<i2', 'fortran_order': False, 'shape': (1,), 'x': True}", [1, 0]),
      /unexpected key 'x'/,
    ],
    ['a duplicate key', npyFile("{'descr': '<i2', 'descr': '<i2'}"), /duplicate key/],
    [
      'a negative dimension',
      npyFile("{'descr': '<i2', 'fortran_order': False, 'shape': (-1,), }"),
      /non-negative integer dimension/,
    ],
    [
      'a one-tuple without comma',
      npyFile("{'descr': '<i2', 'fortran_order': False, 'shape': (1), }", [1, 0]),
      /trailing comma/,
    ],
    [
      'a float dimension',
      npyFile("{'descr': '<i2', 'fortran_order': False, 'shape': (1.5,), }"),
      /expected ',' or '\)'/,
    ],
    ['trailing text', npyFile(`${good} x`, [1, 0, 2, 0]), /unexpected text after/],
    ['an unterminated string', npyFile("{'descr: 1}"), /unterminated string/],
    [
      'code instead of a literal',
      npyFile("{'descr': __import__('os')}"),
      /expected a string, True, False/,
    ],
    ['too little data', npyFile(good, [1, 0, 2]), /needs 4 data bytes but the file has 3/],
    ['too much data', npyFile(good, [1, 0, 2, 0, 0, 0]), /needs 4 data bytes but the file has 6/],
    [
      'a huge shape',
      npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000, 100000), }", [1]),
      /needs 8000000000000000 data bytes but the file has 1/,
    ],
    [
      'a dimension past 2^53',
      npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,), }"),
      /too large/,
    ],
  ];
  it.each(cases)('refuses %s with a clear error', (_name, bytes, message) => {
    expect(() => readNpy(bytes)).toThrow(NpyFormatError);
    expect(() => readNpy(bytes)).toThrow(message);
  });

  it('refuses input that is not a Uint8Array', () => {
    expect(() => readNpy([1, 2, 3] as unknown as Uint8Array)).toThrow(/expected a Uint8Array/);
  });
});

describe('writeNpy', () => {
  const samples: NpyArray[] = [
    { dtype: 'int8', shape: [2, 2], data: Int8Array.of(-128, 0, 1, 127), fortranOrder: false },
    { dtype: 'uint8', shape: [3], data: Uint8Array.of(0, 1, 255), fortranOrder: false },
    { dtype: 'int16', shape: [1, 2], data: Int16Array.of(-32768, 32767), fortranOrder: false },
    {
      dtype: 'int32',
      shape: [2],
      data: Int32Array.of(-(2 ** 31), 2 ** 31 - 1),
      fortranOrder: false,
    },
    {
      dtype: 'float32',
      shape: [2, 1, 1],
      data: Float32Array.of(0.1, -Infinity),
      fortranOrder: false,
    },
    { dtype: 'float64', shape: [], data: Float64Array.of(Math.PI), fortranOrder: false },
    { dtype: 'float64', shape: [0, 3], data: new Float64Array(0), fortranOrder: false },
  ];

  it.each(samples.map((s) => [`${s.dtype} (${s.shape.join(',')})`, s] as const))(
    'round-trips %s',
    (_name, sample) => {
      const bytes = writeNpy(sample);
      const headerLength = bytes[8]! | (bytes[9]! << 8);
      expect((10 + headerLength) % 64).toBe(0);
      const back = readNpy(bytes);
      expect(back.dtype).toBe(sample.dtype);
      expect(back.shape).toEqual(sample.shape);
      expect(back.data).toEqual(sample.data);
    },
  );

  it('writes the header numpy writes', () => {
    const bytes = writeNpy({
      dtype: 'int16',
      shape: [3],
      data: new Int16Array(3),
      fortranOrder: false,
    });
    const headerLength = bytes[8]! | (bytes[9]! << 8);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLength));
    expect(header.endsWith(' \n')).toBe(true);
    expect(header).toMatch(/^\{'descr': '<i2', 'fortran_order': False, 'shape': \(3,\), \} +\n$/);
  });

  it('ties dtype and typed array together at compile time', () => {
    // @ts-expect-error a Float32Array cannot carry dtype 'int8'
    const wrong: NpyArray = {
      dtype: 'int8',
      shape: [1],
      data: new Float32Array(1),
      fortranOrder: false,
    };
    expect(() => writeNpy(wrong)).toThrow(/needs a Int8Array/);
  });

  it('refuses a typed array of the wrong kind, a wrong length and bad dims', () => {
    const wrongType = { dtype: 'int8', shape: [1], data: new Float32Array(1), fortranOrder: false };
    expect(() => writeNpy(wrongType as unknown as NpyArray)).toThrow(
      /dtype int8 needs a Int8Array, got Float32Array/,
    );
    expect(() =>
      writeNpy({ dtype: 'int8', shape: [2, 2], data: new Int8Array(3), fortranOrder: false }),
    ).toThrow(/has 4 elements but data has 3/);
    expect(() =>
      writeNpy({ dtype: 'int8', shape: [1.5], data: new Int8Array(1), fortranOrder: false }),
    ).toThrow(/non-negative integers/);
    expect(() =>
      writeNpy({ dtype: 'bool', shape: [1], data: new Uint8Array(1) } as unknown as NpyArray),
    ).toThrow(/cannot write dtype bool/);
  });
});

describe('loadNpy / saveNpy', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('saves atomically and loads back, naming the file in errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'npy-'));
    dirs.push(dir);
    const path = join(dir, 'a.npy');
    await saveNpy(path, {
      dtype: 'int32',
      shape: [2],
      data: Int32Array.of(5, -6),
      fortranOrder: false,
    });
    expect(await readdir(dir)).toEqual(['a.npy']);
    expect([...(await loadNpy(path)).data]).toEqual([5, -6]);
    const bad = join(dir, 'bad.npy');
    await saveNpy(path, { dtype: 'int8', shape: [0], data: new Int8Array(0), fortranOrder: false });
    const bytes = await readFile(path);
    await import('node:fs/promises').then((fs) => fs.writeFile(bad, bytes.subarray(0, 20)));
    await expect(loadNpy(bad)).rejects.toThrow(/bad\.npy: truncated/);
  });
});

/** The C-order array of Fortran data, one element at a time from the definition. */
function fortranToCReference(source: ArrayLike<number>, shape: number[]): number[] {
  const out: number[] = [];
  const index = new Array<number>(shape.length).fill(0);
  for (let c = 0; c < source.length; c++) {
    // Fortran offset of the C-order multi-index: first index fastest.
    let f = 0;
    let stride = 1;
    for (let a = 0; a < shape.length; a++) {
      f += index[a]! * stride;
      stride *= shape[a]!;
    }
    out.push(source[f]!);
    for (let a = shape.length - 1; a >= 0; a--) {
      if (++index[a]! < shape[a]!) break;
      index[a] = 0;
    }
  }
  return out;
}

describe('rank bound and Fortran transposition', () => {
  const fortranFile = (shape: number[], data: number[]) =>
    npyFile(
      `{'descr': '|i1', 'fortran_order': True, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`,
      data,
      2,
    );

  it('reads a rank-64 Fortran array and refuses rank 65 on read and write', () => {
    const shape = new Array<number>(64).fill(1);
    shape[0] = 2;
    shape[31] = 3;
    shape[63] = 2;
    const data = Array.from({ length: 12 }, (_, i) => i);
    const a = readNpy(fortranFile(shape, data));
    expect(a.shape).toEqual(shape);
    // C index (i, j, k) over the three real axes is Fortran index i + 2j + 6k.
    expect([...a.data]).toEqual([0, 6, 2, 8, 4, 10, 1, 7, 3, 9, 5, 11]);
    expect(() => readNpy(fortranFile([...shape, 1], data))).toThrow(
      /the shape has more than 64 dimensions \(numpy's limit\)/,
    );
    expect(() =>
      writeNpy({
        dtype: 'int8',
        shape: new Array<number>(NPY_MAX_RANK + 1).fill(1),
        data: new Int8Array(1),
        fortranOrder: false,
      }),
    ).toThrow(/cannot write a rank-65 array; numpy reads at most 64 dimensions/);
  });

  it('refuses a 160 kB rank-32001 Fortran file at once', () => {
    const shape = new Array<number>(32001).fill(1);
    for (let i = 0; i < 16; i++) shape[i * 2000] = 2;
    const bytes = fortranFile(shape, new Array<number>(65536).fill(0));
    expect(bytes.byteLength).toBeGreaterThan(160_000);
    const started = performance.now();
    expect(() => readNpy(bytes)).toThrow(NpyFormatError);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('transposes in time linear in the element count, whatever the rank', () => {
    // 65536 elements over 32001 axes: a per-row cost proportional to the rank took seconds.
    const shape = new Array<number>(32001).fill(1);
    for (let i = 0; i < 16; i++) shape[i * 2000] = 2;
    const source = Int32Array.from({ length: 65536 }, (_, i) => i);
    const started = performance.now();
    const out = fortranToC(source, shape);
    expect(performance.now() - started).toBeLessThan(1000);
    // With 16 axes of length 2, C index bits are the Fortran index bits reversed.
    const reversed = (i: number) => {
      let r = 0;
      for (let b = 0; b < 16; b++) r |= ((i >> b) & 1) << (15 - b);
      return r;
    };
    for (const c of [0, 1, 2, 12345, 65535]) expect(out[c]).toBe(reversed(c));
  });

  it('matches the element-by-element definition on random shapes (seeded)', () => {
    const random = prng(4242);
    for (let trial = 0; trial < 300; trial++) {
      const rank = 1 + Math.floor(random() * 7);
      const shape = Array.from({ length: rank }, () => Math.floor(random() * 4));
      const count = shape.reduce((p, d) => p * d, 1);
      const source = Float64Array.from({ length: count }, () => random());
      expect([...fortranToC(source, shape)]).toEqual(fortranToCReference(source, shape));
    }
  });
});

describe('readNpy fuzzing (seeded)', () => {
  it('turns 3000 mutated or truncated files into valid arrays or NpyFormatErrors', () => {
    const random = prng(20200719);
    const seeds: Uint8Array[] = [
      ...Object.values(NUMPY).map(b64),
      writeNpy({ dtype: 'float32', shape: [3, 2], data: new Float32Array(6), fortranOrder: false }),
      writeNpy({ dtype: 'int8', shape: [4, 1, 2], data: new Int8Array(8), fortranOrder: false }),
      writeNpy({
        dtype: 'float64',
        shape: [8, 16],
        data: new Float64Array(128),
        fortranOrder: false,
      }),
      writeNpy({
        dtype: 'int16',
        shape: [4, 4, 32],
        data: new Int16Array(512),
        fortranOrder: false,
      }),
    ];
    let valid = 0;
    let refused = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const source = seeds[Math.floor(random() * seeds.length)]!;
      let bytes = source.slice();
      const kind = random();
      if (kind < 0.25) {
        bytes = bytes.subarray(0, Math.floor(random() * bytes.length));
      } else if (kind < 0.35) {
        const extra = new Uint8Array(1 + Math.floor(random() * 16)).map(() => random() * 256);
        bytes = Uint8Array.from([...bytes, ...extra]);
      } else {
        // Mostly hit the preamble and header, where the parser lives.
        const mutations = 1 + Math.floor(random() * 4);
        for (let m = 0; m < mutations; m++) {
          const at = Math.floor(
            random() * Math.min(bytes.length, random() < 0.5 ? 128 : bytes.length),
          );
          bytes[at] =
            random() < 0.5
              ? Math.floor(random() * 256)
              : "0123456789(),' :TF".charCodeAt(Math.floor(random() * 18));
        }
      }
      try {
        const a = readNpy(bytes);
        const count = a.shape.reduce((p, d) => p * d, 1);
        expect(a.data.length).toBe(count);
        // Nothing larger than the input is ever allocated for the data.
        expect(a.data.byteLength).toBeLessThanOrEqual(bytes.length);
        valid++;
      } catch (error) {
        expect(error).toBeInstanceOf(NpyFormatError);
        refused++;
      }
    }
    expect(valid).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(1500);
  });
});
