import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CheckpointFormatError, decodeCheckpoint, encodeCheckpoint } from './checkpoint-file.js';

describe('checkpoint files', () => {
  const contents = {
    tensors: [
      { name: 'kernel', shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 1e-30, -0, 65504]) },
      { name: 'bias', shape: [1], data: Float32Array.from([Number.MIN_VALUE]) },
      { name: 'empty', shape: [0, 4], data: new Float32Array(0) },
    ],
    state: { epoch: 3, history: [{ loss: 0.25 }], rng: [1, 2, 3, 4294967295] },
  };

  it('round-trips tensors bit for bit and the state exactly', () => {
    const decoded = decodeCheckpoint<typeof contents.state>(encodeCheckpoint(contents));
    expect(decoded.state).toEqual(contents.state);
    expect(decoded.tensors.map((t) => [t.name, t.shape])).toEqual(
      contents.tensors.map((t) => [t.name, t.shape]),
    );
    decoded.tensors.forEach((t, i) => {
      expect(new Uint8Array(t.data.buffer)).toEqual(
        new Uint8Array(contents.tensors[i]!.data.buffer),
      );
    });
  });

  it('aligns the tensor data to 4 bytes after the header', () => {
    const bytes = encodeCheckpoint(contents);
    const headerLength = new DataView(bytes.buffer).getUint32(8, true);
    const dataStart = Math.ceil((12 + headerLength) / 4) * 4;
    // Seven float32 values, then the 32-byte SHA-256.
    expect(bytes.length - dataStart).toBe(4 * (6 + 1) + 32);
  });

  it('refuses a shape that does not match the data', () => {
    expect(() =>
      encodeCheckpoint({
        tensors: [{ name: 'w', shape: [3], data: new Float32Array(2) }],
        state: {},
      }),
    ).toThrow(/shape \[3\] needs 3 values, got 2/);
  });

  it('detects a foreign file and a truncated one', () => {
    expect(() =>
      decodeCheckpoint(new TextEncoder().encode('hello world, not a checkpoint'), 'x.ckpt'),
    ).toThrow(/x\.ckpt is not an rpdl checkpoint/);
    const bytes = encodeCheckpoint(contents);
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 4), 'y.ckpt')).toThrow(
      /y\.ckpt: checksum mismatch, the file is damaged/,
    );
  });

  it('ends with the SHA-256 of everything before it', () => {
    const bytes = encodeCheckpoint(contents);
    const digest = createHash('sha256')
      .update(bytes.subarray(0, bytes.length - 32))
      .digest();
    expect(Buffer.from(bytes.subarray(bytes.length - 32))).toEqual(digest);
  });

  it('detects any single changed byte: in the weights, the header, the padding or the checksum', () => {
    const bytes = encodeCheckpoint(contents);
    for (let i = 12; i < bytes.length; i++) {
      const damaged = bytes.slice();
      damaged[i]! ^= 0x10;
      expect(() => decodeCheckpoint(damaged, 'z.ckpt'), `byte ${i}`).toThrow(CheckpointFormatError);
    }
    const weight = bytes.slice();
    weight[bytes.length - 40]! ^= 1;
    expect(() => decodeCheckpoint(weight, 'w.ckpt')).toThrow(
      'w.ckpt: checksum mismatch, the file is damaged',
    );
  });

  it('reports a damaged JSON header clearly instead of failing inside the reader', () => {
    const bytes = encodeCheckpoint(contents);
    const damaged = bytes.slice();
    damaged[12] = '['.charCodeAt(0);
    expect(() => decodeCheckpoint(damaged, 'h.ckpt')).toThrow(
      'h.ckpt: the header is damaged (not valid JSON)',
    );
    // A header that is valid JSON but not a checkpoint header (what once failed on `.reduce`).
    const text = new TextEncoder().encode(JSON.stringify({ version: 1, state: {} }));
    expect(() => decodeCheckpoint(version1File(text, []), 'j.ckpt')).toThrow(
      'j.ckpt: the header is damaged; expected a version number and a list of tensors',
    );
  });

  it('still reads version 1 files (no checksum) and refuses unknown versions', () => {
    const header = new TextEncoder().encode(
      JSON.stringify({ version: 1, tensors: [{ name: 'w', shape: [2] }], state: { epoch: 4 } }),
    );
    const decoded = decodeCheckpoint<{ epoch: number }>(version1File(header, [1.5, -2]), 'v1.ckpt');
    expect(decoded.state).toEqual({ epoch: 4 });
    expect([...decoded.tensors[0]!.data]).toEqual([1.5, -2]);
    const future = new TextEncoder().encode(JSON.stringify({ version: 9, tensors: [], state: {} }));
    expect(() => decodeCheckpoint(version1File(future, []), 'v9.ckpt')).toThrow(
      'v9.ckpt: checkpoint format version 9, this rpdl reads versions 1 and 2',
    );
  });
});

/** A file in the version 1 layout (magic, header length, header, padding, float32 data). */
function version1File(header: Uint8Array, values: number[]): Uint8Array {
  const dataStart = Math.ceil((12 + header.length) / 4) * 4;
  const bytes = new Uint8Array(dataStart + 4 * values.length);
  bytes.set(new TextEncoder().encode('RPDLCKPT'), 0);
  const view = new DataView(bytes.buffer);
  view.setUint32(8, header.length, true);
  bytes.set(header, 12);
  for (const [i, v] of values.entries()) view.setFloat32(dataStart + 4 * i, v, true);
  return bytes;
}
