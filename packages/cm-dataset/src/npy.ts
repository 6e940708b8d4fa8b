/** Element types this package reads and writes in `.npy` files. */
export type NpyDtype = 'int8' | 'uint8' | 'int16' | 'int32' | 'float32' | 'float64';

/** The typed array that holds each dtype's elements. */
export interface NpyDataTypes {
  int8: Int8Array;
  uint8: Uint8Array;
  int16: Int16Array;
  int32: Int32Array;
  float32: Float32Array;
  float64: Float64Array;
}

/**
 * An n-dimensional array in C (row-major) order. The dtype and the typed array always agree:
 * `{ dtype: 'int8', data: new Float32Array(1) }` does not compile.
 */
export type NpyArray<D extends NpyDtype = NpyDtype> = {
  [K in D]: { dtype: K; shape: number[]; data: NpyDataTypes[K]; fortranOrder: false };
}[D];

/** A `.npy` file that cannot be read or an array that cannot be written. */
export class NpyFormatError extends Error {
  override name = 'NpyFormatError';
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** The most dimensions numpy gives an array (NPY_MAXDIMS since numpy 2.0; 32 before). */
export const NPY_MAX_RANK = 64;

interface DtypeInfo {
  dtype: NpyDtype;
  size: number;
  make: (buffer: ArrayBuffer) => NpyDataTypes[NpyDtype];
}

const BY_CODE: Record<string, DtypeInfo> = {
  i1: { dtype: 'int8', size: 1, make: (b) => new Int8Array(b) },
  u1: { dtype: 'uint8', size: 1, make: (b) => new Uint8Array(b) },
  i2: { dtype: 'int16', size: 2, make: (b) => new Int16Array(b) },
  i4: { dtype: 'int32', size: 4, make: (b) => new Int32Array(b) },
  f4: { dtype: 'float32', size: 4, make: (b) => new Float32Array(b) },
  f8: { dtype: 'float64', size: 8, make: (b) => new Float64Array(b) },
};

const CODE_OF: Record<NpyDtype, string> = {
  int8: '|i1',
  uint8: '|u1',
  int16: '<i2',
  int32: '<i4',
  float32: '<f4',
  float64: '<f8',
};

const ARRAY_TYPE_OF: Record<NpyDtype, abstract new (...args: never[]) => unknown> = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
};

// Typed arrays are read through the platform's byte order; every supported engine is little-endian,
// but a big-endian host must still not misread '<' data.
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Parses a `.npy` file (format versions 1.0, 2.0 and 3.0).
 *
 * The header is validated against the byte length before anything is allocated, so a corrupt
 * or hostile header cannot trigger a large allocation. Fortran-ordered files are transposed,
 * and big-endian data is byte-swapped: the result is always C-ordered in host byte order.
 *
 * @throws NpyFormatError for a bad magic string, an unknown version, a malformed or truncated
 *   header, an object/structured/unsupported dtype (pickled arrays are never loaded), a shape
 *   of more than 64 dimensions (numpy's limit), or a shape whose byte size differs from the
 *   data that follows the header.
 *
 * @example
 * const a = readNpy(writeNpy({ dtype: 'int8', shape: [2], data: Int8Array.of(3, -1), fortranOrder: false }));
 * a.shape; // [2]
 * a.data; // Int8Array [3, -1]
 */
export function readNpy(bytes: Uint8Array): NpyArray {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`readNpy: expected a Uint8Array, got ${typeof bytes}`);
  }
  if (bytes.length < 10) {
    throw new NpyFormatError(
      `not a .npy file: ${bytes.length} bytes is shorter than the 10-byte preamble`,
    );
  }
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) {
      throw new NpyFormatError('not a .npy file: the magic string \\x93NUMPY is missing');
    }
  }
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (major < 1 || major > 3 || minor !== 0) {
    throw new NpyFormatError(
      `unsupported .npy format version ${major}.${minor}; expected 1.0, 2.0 or 3.0`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  const headerStart = 8 + lengthBytes;
  if (bytes.length < headerStart) {
    throw new NpyFormatError(`truncated .npy file: the header length field is cut off`);
  }
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) {
    throw new NpyFormatError(
      `truncated .npy file: the header claims ${headerLength} bytes but only ${bytes.length - headerStart} follow`,
    );
  }
  const headerBytes = bytes.subarray(headerStart, dataStart);
  const header = decodeHeader(headerBytes, major);
  const { descr, fortranOrder, shape } = parseHeader(header);
  const info = dtypeInfo(descr);

  let count = 1;
  for (const d of shape) count *= d;
  const available = bytes.length - dataStart;
  // Compare before allocating: the header alone must never decide how much memory is taken.
  if (!Number.isSafeInteger(count) || count * info.size !== available) {
    throw new NpyFormatError(
      `shape (${shape.join(', ')}) of ${descr} needs ${count * info.size} data bytes but the file has ${available}`,
    );
  }
  // An explicit copy: Buffer#slice would return a view into a shared pool.
  const copy = new Uint8Array(available);
  copy.set(bytes.subarray(dataStart, dataStart + available));
  const bigEndian = descr[0] === '>';
  if (info.size > 1 && bigEndian === HOST_LITTLE_ENDIAN) swapBytes(copy, info.size);
  let data = info.make(copy.buffer);
  if (fortranOrder && shape.length > 1) data = fortranToC(data, shape);
  return { dtype: info.dtype, shape, data, fortranOrder: false } as NpyArray;
}

/**
 * Serialises an array as a `.npy` file: version 1.0 (2.0 when the header needs it), little-endian,
 * C order, header padded so the data starts on a 64-byte boundary, as numpy writes it.
 *
 * @throws NpyFormatError when `data` is not the typed array of `dtype`, its length differs
 *   from the product of `shape`, a dimension is not a non-negative integer, or the rank is
 *   above 64.
 *
 * @example
 * const bytes = writeNpy({ dtype: 'float32', shape: [2, 2], data: Float32Array.of(1, 2, 3, 4), fortranOrder: false });
 * readNpy(bytes).data; // Float32Array [1, 2, 3, 4]
 */
export function writeNpy(array: NpyArray): Uint8Array {
  const { dtype, shape, data } = array;
  const code = CODE_OF[dtype];
  if (code === undefined) {
    throw new NpyFormatError(
      `cannot write dtype ${String(dtype)}; expected one of ${Object.keys(CODE_OF).join(', ')}`,
    );
  }
  if (!(data instanceof ARRAY_TYPE_OF[dtype])) {
    throw new NpyFormatError(
      `dtype ${dtype} needs a ${ARRAY_TYPE_OF[dtype].name}, got ${describeData(data)}`,
    );
  }
  if (!Array.isArray(shape)) throw new NpyFormatError('shape must be an array of integers');
  if (shape.length > NPY_MAX_RANK) {
    throw new NpyFormatError(
      `cannot write a rank-${shape.length} array; numpy reads at most ${NPY_MAX_RANK} dimensions`,
    );
  }
  let count = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new NpyFormatError(`shape (${shape.join(', ')}) must hold non-negative integers`);
    }
    count *= d;
  }
  if (count !== data.length) {
    throw new NpyFormatError(
      `shape (${shape.join(', ')}) has ${count} elements but data has ${data.length}`,
    );
  }
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${code}', 'fortran_order': False, 'shape': ${tuple}, }`;
  let major = 1;
  let preamble = 10;
  if (dict.length + 1 + preamble > 0xffff) {
    major = 2;
    preamble = 12;
  }
  const unpadded = preamble + dict.length + 1;
  const total = Math.ceil(unpadded / 64) * 64;
  const header = dict + ' '.repeat(total - unpadded) + '\n';
  const size = BY_CODE[code.slice(1)]!.size;
  const out = new Uint8Array(total + data.length * size);
  out.set(MAGIC, 0);
  out[6] = major;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[preamble + i] = header.charCodeAt(i);
  const body = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  out.set(body, total);
  if (size > 1 && !HOST_LITTLE_ENDIAN) swapBytes(out.subarray(total), size);
  return out;
}

function describeData(data: unknown): string {
  if (data === null || typeof data !== 'object') return typeof data;
  return (data as object).constructor?.name ?? 'an object';
}

function decodeHeader(bytes: Uint8Array, major: number): string {
  if (major < 3) {
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i]! > 0x7f) {
        throw new NpyFormatError(
          `malformed .npy header: byte ${i} is not ASCII (format ${major}.0 headers are latin-1 dicts of ASCII text)`,
        );
      }
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new NpyFormatError('malformed .npy header: not valid UTF-8');
  }
}

interface Header {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

/**
 * A strict parser for the one Python literal a `.npy` header holds:
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`. Anything else is refused
 * rather than evaluated.
 */
function parseHeader(text: string): Header {
  let pos = 0;
  const fail = (what: string): never => {
    throw new NpyFormatError(
      `malformed .npy header at character ${pos}: ${what} in ${JSON.stringify(text.slice(0, 120))}`,
    );
  };
  const skip = () => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  const expect = (ch: string) => {
    skip();
    if (text[pos] !== ch) fail(`expected '${ch}'`);
    pos++;
  };
  const parseString = (): string => {
    skip();
    const quote = text[pos];
    if (quote !== "'" && quote !== '"') fail('expected a quoted string');
    const end = text.indexOf(quote!, pos + 1);
    if (end < 0) fail('unterminated string');
    const value = text.slice(pos + 1, end);
    if (value.includes('\\')) fail('escape sequences are not allowed');
    pos = end + 1;
    return value;
  };
  const parseValue = (): string | boolean | number[] => {
    skip();
    const ch = text[pos];
    if (ch === "'" || ch === '"') return parseString();
    if (text.startsWith('True', pos)) {
      pos += 4;
      return true;
    }
    if (text.startsWith('False', pos)) {
      pos += 5;
      return false;
    }
    if (ch === '(') {
      pos++;
      const dims: number[] = [];
      skip();
      if (text[pos] === ')') {
        pos++;
        return dims;
      }
      for (;;) {
        skip();
        const m = /^[0-9]+/.exec(text.slice(pos, pos + 24));
        if (!m) fail('expected a non-negative integer dimension');
        pos += m![0].length;
        // A 'L' suffix is what Python 2 wrote for long integers.
        if (text[pos] === 'L') pos++;
        const d = Number(m![0]);
        if (!Number.isSafeInteger(d)) fail(`dimension ${m![0]} is too large`);
        dims.push(d);
        if (dims.length > NPY_MAX_RANK) {
          fail(`the shape has more than ${NPY_MAX_RANK} dimensions (numpy's limit)`);
        }
        skip();
        if (text[pos] === ',') {
          pos++;
          skip();
          if (text[pos] === ')') {
            pos++;
            return dims;
          }
          continue;
        }
        if (text[pos] === ')') {
          if (dims.length === 1) fail('a one-element shape tuple needs a trailing comma');
          pos++;
          return dims;
        }
        fail("expected ',' or ')' in the shape tuple");
      }
    }
    if (ch === '[') {
      return fail('structured (record) dtypes are not supported');
    }
    return fail('expected a string, True, False or a shape tuple');
  };

  expect('{');
  const seen = new Map<string, string | boolean | number[]>();
  for (;;) {
    skip();
    if (text[pos] === '}') {
      pos++;
      break;
    }
    const key = parseString();
    if (seen.has(key)) fail(`duplicate key '${key}'`);
    expect(':');
    seen.set(key, parseValue());
    skip();
    if (text[pos] === ',') {
      pos++;
      continue;
    }
    if (text[pos] === '}') {
      pos++;
      break;
    }
    fail("expected ',' or '}'");
  }
  skip();
  if (pos !== text.length) fail('unexpected text after the header dict');
  for (const key of seen.keys()) {
    if (key !== 'descr' && key !== 'fortran_order' && key !== 'shape') {
      fail(`unexpected key '${key}'`);
    }
  }
  const descr = seen.get('descr');
  const fortranOrder = seen.get('fortran_order');
  const shape = seen.get('shape');
  if (typeof descr !== 'string') fail("'descr' must be a dtype string");
  if (typeof fortranOrder !== 'boolean') fail("'fortran_order' must be True or False");
  if (!Array.isArray(shape)) fail("'shape' must be a tuple of integers");
  return {
    descr: descr as string,
    fortranOrder: fortranOrder as boolean,
    shape: shape as number[],
  };
}

function dtypeInfo(descr: string): DtypeInfo {
  const order = descr[0];
  const code = descr.slice(1);
  if (descr.includes('O')) {
    throw new NpyFormatError(
      `object arrays (dtype '${descr}') hold pickled Python objects and are refused; save a numeric array instead`,
    );
  }
  const info = BY_CODE[code];
  if ((order !== '<' && order !== '>' && order !== '|') || info === undefined) {
    throw new NpyFormatError(
      `unsupported dtype '${descr}'; expected int8, uint8, int16, int32, float32 or float64 ('i1', 'u1', 'i2', 'i4', 'f4', 'f8' with '<', '>' or '|')`,
    );
  }
  if (order === '|' && info.size > 1) {
    throw new NpyFormatError(
      `dtype '${descr}' is ${info.size} bytes wide and needs an explicit byte order '<' or '>'`,
    );
  }
  return info;
}

function swapBytes(bytes: Uint8Array, size: number): void {
  for (let i = 0; i + size <= bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}

/**
 * Reorders Fortran (first index fastest) data into C order (last index fastest), in time linear
 * in the element count whatever the rank: axes of length 1 are dropped first (they do not change
 * the order), and the source offset is carried from one row to the next instead of being
 * recomputed from every index.
 */
export function fortranToC<T extends NpyDataTypes[NpyDtype]>(source: T, shape: number[]): T {
  const out = new (source.constructor as new (n: number) => T)(source.length);
  const dims = shape.filter((d) => d !== 1);
  if (source.length === 0) return out;
  if (dims.length <= 1) {
    out.set(source);
    return out;
  }
  const rank = dims.length;
  // Fortran stride of each axis.
  const fStride = new Array<number>(rank);
  let s = 1;
  for (let a = 0; a < rank; a++) {
    fStride[a] = s;
    s *= dims[a]!;
  }
  const index = new Array<number>(rank).fill(0);
  const last = rank - 1;
  const inner = dims[last]!;
  const innerStride = fStride[last]!;
  let base = 0;
  let o = 0;
  while (o < out.length) {
    for (let k = 0; k < inner; k++) out[o++] = source[base + k * innerStride]!;
    // Odometer over the outer axes: each step moves `base` by one stride, and a wrap takes back
    // what that axis added, so a row costs O(1) amortised.
    for (let a = last - 1; a >= 0; a--) {
      base += fStride[a]!;
      if (++index[a]! < dims[a]!) break;
      base -= dims[a]! * fStride[a]!;
      index[a] = 0;
    }
  }
  return out;
}
