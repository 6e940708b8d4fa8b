import type { NpyDtype } from './npy.js';
import { VolumeFormatError } from './volume-format-error.js';

/** What the fixed part of a NIfTI-1 or NIfTI-2 header says about the bytes that follow it. */
export interface NiftiLayout {
  version: 1 | 2;
  littleEndian: boolean;
  /** sizeof_hdr: 348 (NIfTI-1) or 540 (NIfTI-2). */
  headerSize: number;
  /** dim[1..dim[0]], x fastest. */
  dims: number[];
  datatype: number;
  dtype: NpyDtype;
  bytesPerVoxel: number;
  /** Byte offset of the first voxel. */
  voxOffset: number;
  /** Bytes of voxel data the dimensions and datatype declare. */
  dataBytes: number;
}

/** The datatypes this package reads, by NIfTI code. */
export const NIFTI_TYPES: Readonly<Record<number, { dtype: NpyDtype; bytes: number }>> = {
  2: { dtype: 'uint8', bytes: 1 },
  4: { dtype: 'int16', bytes: 2 },
  8: { dtype: 'int32', bytes: 4 },
  16: { dtype: 'float32', bytes: 4 },
  64: { dtype: 'float64', bytes: 8 },
  256: { dtype: 'int8', bytes: 1 },
};

const NIFTI1_SIZE = 348;
const NIFTI2_SIZE = 540;
/** Bytes of the fixed header (NIfTI-2 is the larger) that decide the layout. */
export const NIFTI_PREFIX_BYTES = NIFTI2_SIZE;

/**
 * Reads and checks the fixed header fields that decide where the voxels are and how many bytes
 * they take: sizeof_hdr and byte order, magic, dim, datatype, bitpix and vox_offset. Only the
 * first 348 (NIfTI-1) or 540 (NIfTI-2) bytes are needed, so a `.nii.gz` can be judged before it
 * is inflated further. Nothing here allocates in proportion to what the header claims.
 *
 * @throws VolumeFormatError naming the field at fault and what was expected.
 *
 * @example
 * const layout = readNiftiLayout(bytes.subarray(0, 540));
 * layout.voxOffset + layout.dataBytes; // the file's expected length
 */
export function readNiftiLayout(bytes: Uint8Array): NiftiLayout {
  if (bytes.byteLength < NIFTI1_SIZE) {
    throw new VolumeFormatError(
      `not a NIfTI-1 or NIfTI-2 file: ${bytes.byteLength} bytes is shorter than the 348-byte NIfTI-1 header`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = view.getInt32(0, true);
  const big = view.getInt32(0, false);
  let littleEndian: boolean;
  let headerSize: number;
  if (little === NIFTI1_SIZE || little === NIFTI2_SIZE) {
    littleEndian = true;
    headerSize = little;
  } else if (big === NIFTI1_SIZE || big === NIFTI2_SIZE) {
    littleEndian = false;
    headerSize = big;
  } else {
    throw new VolumeFormatError(
      `not a NIfTI-1 or NIfTI-2 file: sizeof_hdr is ${little} (little-endian) / ${big} (big-endian); expected 348 or 540 (magic n+1 / n+2 missing)`,
    );
  }
  const version = headerSize === NIFTI1_SIZE ? 1 : 2;
  if (bytes.byteLength < headerSize) {
    throw new VolumeFormatError(
      `truncated NIfTI-2 header: ${bytes.byteLength} bytes, expected at least ${headerSize}`,
    );
  }
  const magicAt = version === 1 ? 344 : 4;
  const magic = String.fromCharCode(bytes[magicAt]!, bytes[magicAt + 1]!, bytes[magicAt + 2]!);
  if (magic !== `n+${version}`) {
    throw new VolumeFormatError(
      `not a NIfTI-${version} single file: magic at byte ${magicAt} is ${JSON.stringify(magic)}, expected "n+${version}" (a .hdr/.img pair is not supported)`,
    );
  }

  const rank = version === 1 ? view.getInt16(40, littleEndian) : int64(view, 16, littleEndian);
  if (!(rank >= 1 && rank <= 7)) {
    throw new VolumeFormatError(`dim[0] = ${rank}; expected a rank in 1..7`);
  }
  const dims: number[] = [];
  for (let i = 1; i <= rank; i++) {
    dims.push(
      version === 1
        ? view.getInt16(40 + 2 * i, littleEndian)
        : int64(view, 16 + 8 * i, littleEndian),
    );
  }
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 1)) {
    throw new VolumeFormatError(
      `dimensions (${dims.join(', ')}) must be positive integers (dim[1..${rank}])`,
    );
  }

  const datatype = view.getInt16(version === 1 ? 70 : 12, littleEndian);
  const bitpix = view.getInt16(version === 1 ? 72 : 14, littleEndian);
  const type = NIFTI_TYPES[datatype];
  if (!type) {
    throw new VolumeFormatError(
      `NIfTI datatype ${datatype} is not supported; expected uint8 (2), int8 (256), int16 (4), int32 (8), float32 (16) or float64 (64)`,
    );
  }
  if (bitpix !== type.bytes * 8) {
    throw new VolumeFormatError(
      `bitpix ${bitpix} does not match datatype ${datatype} (${type.dtype}, ${type.bytes * 8} bits per voxel)`,
    );
  }

  const voxOffset =
    version === 1 ? view.getFloat32(108, littleEndian) : int64(view, 168, littleEndian);
  if (!Number.isSafeInteger(voxOffset) || voxOffset < headerSize) {
    throw new VolumeFormatError(
      `vox_offset ${voxOffset} must be an integer byte offset ≥ ${headerSize} (the header size)`,
    );
  }
  let count = 1;
  for (const d of dims) count *= d;
  const dataBytes = count * type.bytes;
  if (!Number.isSafeInteger(dataBytes) || !Number.isSafeInteger(voxOffset + dataBytes)) {
    throw new VolumeFormatError(
      `dimensions (${dims.join(', ')}) of ${type.dtype} declare more bytes than any file can hold`,
    );
  }
  return {
    version,
    littleEndian,
    headerSize,
    dims,
    datatype,
    dtype: type.dtype,
    bytesPerVoxel: type.bytes,
    voxOffset,
    dataBytes,
  };
}

/**
 * Checks that a whole NIfTI file agrees with its layout: vox_offset inside the file, exactly the
 * declared voxel bytes after it, and a well-formed extension chain between the header and the
 * voxels: a set flag needs room for at least one record, each esize a positive multiple of 16
 * (a zero word after at least one extension ends the chain) that stays within vox_offset. A chain that fails this is what makes some readers
 * loop forever (a negative esize steps backwards).
 *
 * @throws VolumeFormatError naming the offset or extension at fault.
 *
 * @example
 * checkNiftiFile(bytes, readNiftiLayout(bytes));
 */
export function checkNiftiFile(bytes: Uint8Array, layout: NiftiLayout): void {
  const { voxOffset, dataBytes, dims, dtype, headerSize, littleEndian } = layout;
  if (voxOffset > bytes.byteLength) {
    throw new VolumeFormatError(
      `vox_offset ${voxOffset} lies beyond the end of the file (${bytes.byteLength} bytes)`,
    );
  }
  const available = bytes.byteLength - voxOffset;
  if (dataBytes !== available) {
    throw new VolumeFormatError(
      `dimensions (${dims.join(', ')}) of ${dtype} need ${dataBytes} bytes after offset ${voxOffset}, the file has ${available}`,
    );
  }
  const first = headerSize + 4;
  // The 4 bytes after the header are the extension flag; flag[0] = 0 (or no room for the flag)
  // means no extensions.
  if (voxOffset < first || bytes[headerSize] === 0) return;
  if (voxOffset < first + 16) {
    throw new VolumeFormatError(
      `the extension flag is set but vox_offset ${voxOffset} leaves no room for an extension (the first would start at byte ${first} and take at least 16 bytes)`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = first;
  while (pos < voxOffset) {
    if (pos + 8 > voxOffset) {
      throw new VolumeFormatError(
        `extension at byte ${pos}: its 8-byte esize/ecode header runs past vox_offset ${voxOffset}`,
      );
    }
    const esize = view.getInt32(pos, littleEndian);
    if (esize === 0 && pos > first) return;
    if (esize < 16 || esize % 16 !== 0) {
      throw new VolumeFormatError(
        `extension at byte ${pos} has esize ${esize}; expected a positive multiple of 16 (the extension flag is set)`,
      );
    }
    if (pos + esize > voxOffset) {
      throw new VolumeFormatError(
        `extension at byte ${pos} of esize ${esize} runs past vox_offset ${voxOffset}`,
      );
    }
    pos += esize;
  }
}

function int64(view: DataView, at: number, littleEndian: boolean): number {
  // Values beyond 2^53 lose precision here; the callers' safe-integer checks refuse them.
  return Number(view.getBigInt64(at, littleEndian));
}
