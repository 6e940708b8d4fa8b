import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fortranToC, type NpyArray, type NpyDataTypes, type NpyDtype } from './npy.js';
import { loadNpy } from './npy-file.js';

/** A volume read from `.npy` or NIfTI, C-ordered. */
export type Volume = NpyArray;

/** A volume file that cannot be read. */
export class VolumeFormatError extends Error {
  override name = 'VolumeFormatError';
}

const NIFTI_TYPES: Record<number, { dtype: NpyDtype; bytes: number }> = {
  2: { dtype: 'uint8', bytes: 1 },
  4: { dtype: 'int16', bytes: 2 },
  8: { dtype: 'int32', bytes: 4 },
  16: { dtype: 'float32', bytes: 4 },
  64: { dtype: 'float64', bytes: 8 },
  256: { dtype: 'int8', bytes: 1 },
};

const MAKE: { [D in NpyDtype]: (b: ArrayBuffer) => NpyDataTypes[D] } = {
  int8: (b) => new Int8Array(b),
  uint8: (b) => new Uint8Array(b),
  int16: (b) => new Int16Array(b),
  int32: (b) => new Int32Array(b),
  float32: (b) => new Float32Array(b),
  float64: (b) => new Float64Array(b),
};

/** Options for reading NIfTI volumes. */
export interface NiftiReadOptions {
  /**
   * Largest decompressed size a `.nii.gz` may have, in bytes (default 1 GiB: a 512³ float64
   * volume). A gzip stream can expand a thousandfold, so an untrusted file is stopped here
   * rather than allowed to exhaust memory.
   */
  maxDecompressedBytes?: number;
}

const DEFAULT_MAX_DECOMPRESSED_BYTES = 2 ** 30;

/** Whether a file name is a volume this package reads. */
export function isVolumeFile(name: string): boolean {
  return /\.(npy|nii|nii\.gz)$/i.test(name);
}

/**
 * Reads a volume from `.npy`, `.nii` or `.nii.gz` (NIfTI-1 or -2, parsed with nifti-reader-js).
 * NIfTI voxels are returned with shape [nx, ny, nz] in C order, the indexing nibabel's
 * `get_fdata()` gives, so a `.npy` saved from nibabel and the `.nii` it came from read alike.
 * A non-trivial `scl_slope`/`scl_inter` is applied and gives float32 values.
 *
 * @throws VolumeFormatError for an unknown extension, a file that is not NIfTI, an unsupported
 *   datatype, or image data shorter or longer than its header says; NpyFormatError for bad `.npy`.
 *
 * @example
 * const ct = await loadVolume('cases/bone01/image.nii.gz');
 * ct.shape; // [nx, ny, nz]
 */
export async function loadVolume(path: string, options: NiftiReadOptions = {}): Promise<Volume> {
  if (/\.npy$/i.test(path)) return loadNpy(path);
  if (!/\.(nii|nii\.gz)$/i.test(path)) {
    throw new VolumeFormatError(`${path}: expected a .npy, .nii or .nii.gz file`);
  }
  const bytes = await readFile(path);
  try {
    return await parseNifti(bytes, options);
  } catch (error) {
    if (error instanceof VolumeFormatError) {
      throw new VolumeFormatError(`${basename(path)}: ${error.message}`);
    }
    throw error;
  }
}

/**
 * Parses NIfTI bytes (gzip-compressed or not) into a C-ordered volume; see {@link loadVolume}.
 *
 * @example
 * const volume = await parseNifti(await readFile('mask.nii'));
 */
export async function parseNifti(
  bytes: Uint8Array,
  options: NiftiReadOptions = {},
): Promise<Volume> {
  const maxBytes = options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new RangeError(`maxDecompressedBytes must be a positive integer, got ${maxBytes}`);
  }
  // nifti-reader-js ships only as an ES module, so even the CommonJS build loads it this way.
  const nifti = await import('nifti-reader-js');
  let buffer: ArrayBuffer = bytes.buffer.slice(
    bytes.byteOffset,
    bytes.byteOffset + bytes.byteLength,
  ) as ArrayBuffer;
  if (nifti.isCompressed(buffer)) {
    let inflated: Buffer;
    try {
      inflated = gunzipSync(bytes, { maxOutputLength: maxBytes });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new VolumeFormatError(
          `gzip data expands to more than ${maxBytes} bytes (maxDecompressedBytes); raise the limit if the volume really is that large`,
        );
      }
      throw new VolumeFormatError(`corrupt gzip data (${(error as Error).message})`);
    }
    buffer = inflated.buffer.slice(
      inflated.byteOffset,
      inflated.byteOffset + inflated.byteLength,
    ) as ArrayBuffer;
  }
  if (!nifti.isNIFTI(buffer)) {
    throw new VolumeFormatError('not a NIfTI-1 or NIfTI-2 single file (magic n+1 / n+2 missing)');
  }
  const header = nifti.readHeader(buffer);
  const rank = header.dims[0]!;
  if (!Number.isInteger(rank) || rank < 1 || rank > 7) {
    throw new VolumeFormatError(`dim[0] = ${rank}; expected a rank in 1..7`);
  }
  const dims = header.dims.slice(1, rank + 1);
  if (dims.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new VolumeFormatError(`dimensions (${dims.join(', ')}) must be positive integers`);
  }
  // Trailing singleton dimensions (time, components) carry no voxels of their own.
  while (dims.length > 3 && dims[dims.length - 1] === 1) dims.pop();
  const type = NIFTI_TYPES[header.datatypeCode];
  if (!type) {
    throw new VolumeFormatError(
      `NIfTI datatype ${header.datatypeCode} is not supported; expected uint8 (2), int8 (256), int16 (4), int32 (8), float32 (16) or float64 (64)`,
    );
  }
  const count = dims.reduce((p, d) => p * d, 1);
  const offset = Math.floor(header.vox_offset);
  const available = buffer.byteLength - offset;
  if (!Number.isSafeInteger(count) || count * type.bytes !== available) {
    throw new VolumeFormatError(
      `dimensions (${dims.join(', ')}) of ${type.dtype} need ${count * type.bytes} bytes after offset ${offset}, the file has ${available}`,
    );
  }
  const raw = new Uint8Array(buffer.slice(offset, offset + count * type.bytes));
  if (type.bytes > 1 && !header.littleEndian) {
    for (let i = 0; i < raw.length; i += type.bytes) raw.subarray(i, i + type.bytes).reverse();
  }
  let data: NpyDataTypes[NpyDtype] = MAKE[type.dtype](raw.buffer);
  let dtype = type.dtype;
  const slope = header.scl_slope;
  const inter = header.scl_inter;
  if (
    Number.isFinite(slope) &&
    slope !== 0 &&
    (slope !== 1 || (Number.isFinite(inter) && inter !== 0))
  ) {
    const scaled = new Float32Array(data.length);
    const b = Number.isFinite(inter) ? inter : 0;
    for (let i = 0; i < data.length; i++) scaled[i] = data[i]! * slope + b;
    data = scaled;
    dtype = 'float32';
  }
  if (dims.length > 1) data = fortranToC(data, dims);
  return { dtype, shape: dims, data, fortranOrder: false } as Volume;
}
