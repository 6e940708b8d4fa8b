import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '@rpdl/atomic-fs';

/** One float32 array stored in a checkpoint. */
export interface StoredTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** A checkpoint: named float32 arrays plus a JSON state. */
export interface CheckpointContents<S> {
  tensors: StoredTensor[];
  state: S;
}

/** A checkpoint file that cannot be read: foreign, truncated, damaged or of an unknown version. */
export class CheckpointFormatError extends Error {
  override name = 'CheckpointFormatError';
}

const MAGIC = 'RPDLCKPT';
/** Version 2 appends a SHA-256 of everything before it; version 1 files (no checksum) still read. */
const VERSION = 2;
const CHECKSUM_BYTES = 32;

interface Header<S> {
  version: number;
  tensors: Array<{ name: string; shape: number[] }>;
  state: S;
}

function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Serialises a checkpoint into one buffer (format version 2): the 8-byte magic `RPDLCKPT`, a
 * little-endian uint32 header length, a JSON header (format version, tensor names and shapes, the
 * state), zero padding to a multiple of 4, every tensor's float32 data in order (little-endian),
 * and finally the SHA-256 of all the bytes before it, so that any changed byte is detected on read.
 *
 * @example
 * const bytes = encodeCheckpoint({ tensors: [{ name: 'w', shape: [2], data: new Float32Array([1, 2]) }], state: { epoch: 3 } });
 */
export function encodeCheckpoint<S>(contents: CheckpointContents<S>): Uint8Array {
  const entries = contents.tensors.map(({ name, shape, data }) => {
    const size = sizeOf(shape);
    if (size !== data.length) {
      throw new RangeError(
        `checkpoint tensor "${name}": shape [${shape}] needs ${size} values, got ${data.length}`,
      );
    }
    return { name, shape };
  });
  const header = new TextEncoder().encode(
    JSON.stringify({ version: VERSION, tensors: entries, state: contents.state }),
  );
  const headerEnd = 12 + header.length;
  const dataStart = Math.ceil(headerEnd / 4) * 4;
  const dataEnd = dataStart + contents.tensors.reduce((n, t) => n + t.data.length * 4, 0);
  const bytes = new Uint8Array(dataEnd + CHECKSUM_BYTES);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(bytes.buffer);
  view.setUint32(8, header.length, true);
  bytes.set(header, 12);
  let offset = dataStart;
  for (const { data } of contents.tensors) {
    for (let i = 0; i < data.length; i++, offset += 4) view.setFloat32(offset, data[i]!, true);
  }
  bytes.set(sha256(bytes.subarray(0, dataEnd)), dataEnd);
  return bytes;
}

function isShape(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((n) => Number.isInteger(n) && n >= 0);
}

function parseHeader<S>(bytes: Uint8Array, source: string): Header<S> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(8, true);
  if (12 + headerLength > bytes.length) {
    throw new CheckpointFormatError(
      `${source}: the header length (${headerLength} bytes) runs past the end of the file (${bytes.length} bytes); the file is truncated or damaged`,
    );
  }
  let header: Header<S>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)));
  } catch {
    throw new CheckpointFormatError(
      `${source}: the header is damaged (not valid JSON); expected an rpdl checkpoint header`,
    );
  }
  const ok =
    typeof header === 'object' &&
    header !== null &&
    typeof header.version === 'number' &&
    Array.isArray(header.tensors) &&
    header.tensors.every((t) => typeof t?.name === 'string' && isShape(t.shape));
  if (!ok) {
    throw new CheckpointFormatError(
      `${source}: the header is damaged; expected a version number and a list of tensors with a name and a shape`,
    );
  }
  return header;
}

/**
 * Parses bytes written by {@link encodeCheckpoint}: checks the magic, the SHA-256 (version 2), the
 * header's structure and version, and that the data length matches the header, before reading any
 * value. Version 1 files (no checksum) are still read. Throws {@link CheckpointFormatError}.
 *
 * @example
 * const { tensors, state } = decodeCheckpoint<{ epoch: number }>(bytes);
 */
export function decodeCheckpoint<S>(
  bytes: Uint8Array,
  source = 'checkpoint',
): CheckpointContents<S> {
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw new CheckpointFormatError(`${source} is not an rpdl checkpoint (bad magic)`);
  }
  const checksumStart = bytes.length - CHECKSUM_BYTES;
  const intact =
    checksumStart >= 12 &&
    Buffer.from(sha256(bytes.subarray(0, checksumStart))).equals(bytes.subarray(checksumStart));
  const header = parseHeader<S>(bytes, source);
  if (header.version === VERSION && !intact) {
    throw new CheckpointFormatError(
      `${source}: checksum mismatch, the file is damaged (changed or truncated after it was written); delete it to start the run afresh`,
    );
  }
  if (header.version !== 1 && header.version !== VERSION) {
    throw new CheckpointFormatError(
      `${source}: checkpoint format version ${header.version}, this rpdl reads versions 1 and ${VERSION}`,
    );
  }
  const dataEnd = header.version === 1 ? bytes.length : checksumStart;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = Math.ceil((12 + view.getUint32(8, true)) / 4) * 4;
  const expected = header.tensors.reduce((n, t) => n + sizeOf(t.shape) * 4, 0);
  if (offset + expected !== dataEnd) {
    throw new CheckpointFormatError(
      `${source}: expected ${offset + expected} bytes for the tensors listed, file has ${dataEnd}`,
    );
  }
  const tensors = header.tensors.map(({ name, shape }) => {
    const size = sizeOf(shape);
    const data = new Float32Array(size);
    for (let i = 0; i < size; i++, offset += 4) data[i] = view.getFloat32(offset, true);
    return { name, shape, data };
  });
  return { tensors, state: header.state };
}

/**
 * Writes a checkpoint file atomically (temp + rename): a kill leaves the previous checkpoint intact.
 *
 * @example
 * await saveCheckpoint('run/checkpoint.ckpt', { tensors, state });
 */
export async function saveCheckpoint<S>(
  path: string,
  contents: CheckpointContents<S>,
): Promise<void> {
  await writeFileAtomic(path, encodeCheckpoint(contents));
}

/**
 * Reads a checkpoint file written by {@link saveCheckpoint}.
 *
 * @example
 * const { state } = await loadCheckpoint<{ epoch: number }>('run/checkpoint.ckpt');
 */
export async function loadCheckpoint<S>(path: string): Promise<CheckpointContents<S>> {
  return decodeCheckpoint<S>(new Uint8Array(await readFile(path)), path);
}
