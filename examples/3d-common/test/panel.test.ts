import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { busiestSlice, renderPanel } from '../src/index.js';

describe('busiestSlice', () => {
  it('picks the slice on the first axis with the largest count total', () => {
    const counts = new Uint16Array(8); // 2³: slice 0 = indices 0..3, slice 1 = 4..7
    counts[1] = 1;
    counts[5] = 2;
    expect(busiestSlice(counts, 2)).toBe(1);
    counts[0] = 3;
    expect(busiestSlice(counts, 2)).toBe(0);
  });
});

describe('renderPanel', () => {
  const size = 4;
  const n = size ** 3;
  const volumes = {
    size,
    labels: new Int8Array(n).fill(1),
    counts: new Uint16Array(n),
    surgeons: 2,
    probabilities: new Float32Array(n),
  };

  it('draws three tiles of size·scale pixels with 4-px gaps', () => {
    volumes.labels[0] = 0; // air at (z 0, row 0, col 0): black in the first tile
    const png = PNG.sync.read(renderPanel(volumes, 0));
    const scale = Math.round(192 / size);
    expect(png.height).toBe(size * scale);
    expect(png.width).toBe(3 * size * scale + 8);
    expect([...png.data.subarray(0, 4)]).toEqual([0, 0, 0, 255]);
    // First pixel of the gap between tiles 1 and 2 is white.
    const gap = size * scale * 4;
    expect([...png.data.subarray(gap, gap + 4)]).toEqual([255, 255, 255, 255]);
  });

  it('rejects wrong volume lengths and slices out of range', () => {
    expect(() => renderPanel({ ...volumes, counts: new Uint16Array(3) }, 0)).toThrow(
      /counts has 3 values, expected 4³ = 64/,
    );
    expect(() => renderPanel(volumes, 4)).toThrow(/slice 4 is outside 0..3/);
  });
});
