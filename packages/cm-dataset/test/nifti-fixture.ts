/** What {@link nifti} writes. */
export interface NiftiSpec {
  /** NIfTI-1 (348-byte header, default) or NIfTI-2 (540 bytes). */
  version?: 1 | 2;
  dims: number[];
  datatype: number;
  bitpix: number;
  /** Voxel values in NIfTI (x fastest) order. */
  values: number[];
  slope?: number;
  inter?: number;
  bigEndian?: boolean;
  /** Bytes appended after the voxels. */
  extraBytes?: number;
  /** Raw bytes between the extension flag and the voxels; the flag is set when given. */
  extensions?: Uint8Array;
  /** Stored vox_offset, when it should lie about where the voxels start. */
  voxOffset?: number;
}

/**
 * A single-file NIfTI (.nii) written field by field from the standard's byte layout: header,
 * 4-byte extension flag, optional extension bytes, voxels.
 */
export function nifti(spec: NiftiSpec): Uint8Array {
  const v2 = spec.version === 2;
  const le = !spec.bigEndian;
  const headerSize = v2 ? 540 : 348;
  const ext = spec.extensions ?? new Uint8Array(0);
  const dataStart = headerSize + 4 + ext.byteLength;
  const bytesPer = spec.bitpix / 8;
  const count = spec.values.length;
  const out = new Uint8Array(dataStart + count * bytesPer + (spec.extraBytes ?? 0));
  const view = new DataView(out.buffer);
  view.setInt32(0, headerSize, le);
  const rank = spec.dims.length;
  const dims = [rank, ...spec.dims];
  while (dims.length < 8) dims.push(1);
  const voxOffset = spec.voxOffset ?? dataStart;
  if (v2) {
    out.set([0x6e, 0x2b, 0x32, 0, 0x0d, 0x0a, 0x1a, 0x0a], 4); // "n+2\0\r\n\032\n"
    view.setInt16(12, spec.datatype, le);
    view.setInt16(14, spec.bitpix, le);
    for (const [i, d] of dims.entries()) view.setBigInt64(16 + 8 * i, BigInt(d), le);
    for (let i = 0; i < 8; i++) view.setFloat64(104 + 8 * i, 1, le);
    view.setBigInt64(168, BigInt(voxOffset), le);
    view.setFloat64(176, spec.slope ?? 1, le);
    view.setFloat64(184, spec.inter ?? 0, le);
  } else {
    for (const [i, d] of dims.entries()) view.setInt16(40 + 2 * i, d, le);
    view.setInt16(70, spec.datatype, le);
    view.setInt16(72, spec.bitpix, le);
    for (let i = 0; i < 8; i++) view.setFloat32(76 + 4 * i, 1, le);
    view.setFloat32(108, voxOffset, le);
    view.setFloat32(112, spec.slope ?? 1, le);
    view.setFloat32(116, spec.inter ?? 0, le);
    out.set([0x6e, 0x2b, 0x31, 0], 344); // "n+1\0"
  }
  if (ext.byteLength > 0) {
    out[headerSize] = 1;
    out.set(ext, headerSize + 4);
  }
  spec.values.forEach((v, i) => {
    const at = dataStart + i * bytesPer;
    if (spec.datatype === 2) view.setUint8(at, v);
    else if (spec.datatype === 256) view.setInt8(at, v);
    else if (spec.datatype === 4) view.setInt16(at, v, le);
    else if (spec.datatype === 8) view.setInt32(at, v, le);
    else if (spec.datatype === 16) view.setFloat32(at, v, le);
    else if (spec.datatype === 64) view.setFloat64(at, v, le);
    else view.setUint16(at, v, le);
  });
  return out;
}

/** One extension record: esize (as stored, true or not), ecode, and `length` bytes in all. */
export function extension(esize: number, length = Math.max(esize, 8), littleEndian = true) {
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  view.setInt32(0, esize, littleEndian);
  view.setInt32(4, 6, littleEndian); // ecode 6: a comment
  return out;
}

/** Concatenates byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** Voxel (x, y, z) of the 2×3×2 test volume holds 100x + 10y + z: each value names its place. */
const voxel = (x: number, y: number, z: number) => 100 * x + 10 * y + z;

/** The 2×3×2 test volume's voxels as NIfTI lists them, x fastest. */
export const XYZ: number[] = Array.from({ length: 12 }, (_, i) =>
  voxel(i % 2, Math.floor(i / 2) % 3, Math.floor(i / 6)),
);

/** The same voxels in C order of shape [2, 3, 2], z fastest. */
export const C_ORDER: number[] = Array.from({ length: 12 }, (_, i) =>
  voxel(Math.floor(i / 6), Math.floor(i / 2) % 3, i % 2),
);
