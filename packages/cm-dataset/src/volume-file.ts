import { readFile } from 'node:fs/promises';
import { boundedGunzip } from './bounded-gunzip.js';
import { checkNiftiFile, NIFTI_PREFIX_BYTES, readNiftiLayout } from './nifti-header.js';
import { fortranToC, type NpyArray, type NpyDataTypes, type NpyDtype } from './npy.js';
import { loadNpy } from './npy-file.js';
import { VolumeFormatError } from './volume-format-error.js';

export { VolumeFormatError } from './volume-format-error.js';

/** A volume read from `.npy` or NIfTI, C-ordered. */
export type Volume = NpyArray;

const VIEW: {
  [D in NpyDtype]: (b: ArrayBuffer, offset: number, length: number) => NpyDataTypes[D];
} = {
  int8: (b, o, n) => new Int8Array(b, o, n),
  uint8: (b, o, n) => new Uint8Array(b, o, n),
  int16: (b, o, n) => new Int16Array(b, o, n),
  int32: (b, o, n) => new Int32Array(b, o, n),
  float32: (b, o, n) => new Float32Array(b, o, n),
  float64: (b, o, n) => new Float64Array(b, o, n),
};

/** Options for reading NIfTI volumes. */
export interface NiftiReadOptions {
  /**
   * Largest decompressed size a `.nii.gz` may have, in bytes (default 1 GiB: a 512³ float64
   * volume). Inflation already stops at the size the file's own header declares (header,
   * extensions and voxels); this bounds what a header may declare, so an untrusted file cannot
   * ask for more memory than this.
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
 * The NIfTI header is checked before anything else reads it (see {@link parseNifti}); every
 * failure is a VolumeFormatError whose message starts with `path`.
 *
 * @throws VolumeFormatError for an unknown extension or any NIfTI content that cannot be read;
 *   NpyFormatError for bad `.npy`.
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
      throw new VolumeFormatError(`${path}: ${error.message}`);
    }
    throw error;
  }
}

/**
 * Parses NIfTI bytes (gzip-compressed or not) into a C-ordered volume; see {@link loadVolume}.
 *
 * Before nifti-reader-js sees the bytes, the header is validated here: sizeof_hdr (348 or 540,
 * either byte order) and magic, dim[0] in 1..7 and positive dimensions, a supported datatype
 * with a matching bitpix, an integer vox_offset ≥ the header size and inside the file, exactly
 * the declared voxel bytes after it, and an extension chain of positive multiples of 16 that
 * ends within vox_offset. A `.nii.gz` is inflated in a stream that stops at the size its own
 * header declares (never more than `maxDecompressedBytes`).
 *
 * @throws VolumeFormatError for anything that is not a readable NIfTI volume, including
 *   whatever nifti-reader-js itself rejects; RangeError for a bad `maxDecompressedBytes`.
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
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`parseNifti: expected a Uint8Array, got ${typeof bytes}`);
  }
  // Inflated bytes are ours to change in place; the caller's are not.
  let owned = false;
  if (bytes.byteLength >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    bytes = await boundedGunzip(bytes, {
      maxBytes,
      prefixBytes: NIFTI_PREFIX_BYTES,
      expectedSize: (prefix) => {
        const layout = readNiftiLayout(prefix);
        return layout.voxOffset + layout.dataBytes;
      },
    });
    owned = true;
  }
  const layout = readNiftiLayout(bytes);
  checkNiftiFile(bytes, layout);

  // nifti-reader-js ships only as an ES module, so even the CommonJS build loads it this way.
  const nifti = await import('nifti-reader-js');
  const buffer = bytes.buffer as ArrayBuffer;
  // The library reads from offset 0 of the ArrayBuffer it is given.
  const headerBuffer =
    bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength
      ? buffer
      : buffer.slice(bytes.byteOffset, bytes.byteOffset + layout.voxOffset);
  let header: ReturnType<typeof nifti.readHeader>;
  try {
    header = nifti.readHeader(headerBuffer);
  } catch (error) {
    throw new VolumeFormatError(
      `nifti-reader-js could not read the header (${(error as Error)?.message ?? String(error)})`,
    );
  }
  const dims = layout.dims.slice();
  // Trailing singleton dimensions (time, components) carry no voxels of their own.
  while (dims.length > 3 && dims[dims.length - 1] === 1) dims.pop();
  const { dtype: storedType, bytesPerVoxel: size, voxOffset } = layout;
  const count = layout.dataBytes / size;
  const aligned = (bytes.byteOffset + voxOffset) % size === 0;
  const swap = size > 1 && !layout.littleEndian;
  // Voxels are read through a view where possible; one copy is made when they are misaligned
  // or must be byte-swapped in bytes the caller owns.
  let raw = bytes.subarray(voxOffset, voxOffset + layout.dataBytes);
  if (!aligned || (swap && !owned)) raw = new Uint8Array(raw);
  if (swap) {
    for (let i = 0; i < raw.length; i += size) raw.subarray(i, i + size).reverse();
  }
  let data: NpyDataTypes[NpyDtype] = VIEW[storedType](
    raw.buffer as ArrayBuffer,
    raw.byteOffset,
    count,
  );
  let dtype = storedType;
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
  // The result must not share memory with the input or the inflated file.
  if (data.buffer === bytes.buffer) data = data.slice();
  return { dtype, shape: dims, data, fortranOrder: false } as Volume;
}
