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

const MAGIC = 'RPDLCKPT';
const VERSION = 1;

/**
 * Serialises a checkpoint into one buffer: the 8-byte magic `RPDLCKPT`, a little-endian uint32
 * header length, a JSON header (format version, tensor names and shapes, the state), zero padding
 * to a multiple of 4, then every tensor's float32 data in order (little-endian).
 *
 * @example
 * const bytes = encodeCheckpoint({ tensors: [{ name: 'w', shape: [2], data: new Float32Array([1, 2]) }], state: { epoch: 3 } });
 */
export function encodeCheckpoint<S>(contents: CheckpointContents<S>): Uint8Array {
  const entries = contents.tensors.map(({ name, shape, data }) => {
    const size = shape.reduce((a, b) => a * b, 1);
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
  const total = dataStart + contents.tensors.reduce((n, t) => n + t.data.length * 4, 0);
  const bytes = new Uint8Array(total);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(8, header.length, true);
  bytes.set(header, 12);
  const view = new DataView(bytes.buffer);
  let offset = dataStart;
  for (const { data } of contents.tensors) {
    for (let i = 0; i < data.length; i++, offset += 4) view.setFloat32(offset, data[i]!, true);
  }
  return bytes;
}

/**
 * Parses bytes written by {@link encodeCheckpoint}, checking the magic, the version and that the
 * data length matches the header before reading any value.
 *
 * @example
 * const { tensors, state } = decodeCheckpoint<{ epoch: number }>(bytes);
 */
export function decodeCheckpoint<S>(
  bytes: Uint8Array,
  source = 'checkpoint',
): CheckpointContents<S> {
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw new Error(`${source} is not an rpdl checkpoint (bad magic)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(8, true);
  if (12 + headerLength > bytes.length)
    throw new Error(`${source}: header runs past the end of the file`);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength))) as {
    version: number;
    tensors: Array<{ name: string; shape: number[] }>;
    state: S;
  };
  if (header.version !== VERSION) {
    throw new Error(
      `${source}: checkpoint format version ${header.version}, this rpdl reads ${VERSION}`,
    );
  }
  let offset = Math.ceil((12 + headerLength) / 4) * 4;
  const expected = header.tensors.reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (offset + expected !== bytes.length) {
    throw new Error(
      `${source}: expected ${offset + expected} bytes for the tensors listed, file has ${bytes.length}`,
    );
  }
  const tensors = header.tensors.map(({ name, shape }) => {
    const size = shape.reduce((a, b) => a * b, 1);
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
