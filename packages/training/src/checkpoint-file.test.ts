import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint-file.js';

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
    expect(bytes.length - dataStart).toBe(4 * (6 + 1));
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
      /y\.ckpt: expected \d+ bytes/,
    );
  });
});
