import { inflateSync } from 'node:zlib';
import { formatDuration, formatLog, ProgressBar, parseLog, progressLine } from '@rpdl/training';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { composePanel, heatTile, middleSlice } from './panels.js';
import { encodePng } from './png.js';
import { integerTicks, learningCurveSvg } from './svg-plot.js';

describe('progress bar', () => {
  it('shows steps, samples/s and ETA', () => {
    // 3 of 6 steps in 6 s → 2 s per step, 3 left → 0:06; 24 samples / 6 s = 4.0 samples/s.
    expect(
      progressLine({ label: 'epoch 2/8', done: 3, total: 6, samples: 24, elapsed: 6, width: 10 }),
    ).toBe('epoch 2/8 [#####-----] 3/6  4.0 samples/s  ETA 0:06');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(Number.NaN)).toBe('?');
  });

  it('redraws in place on a TTY and prints one line per epoch elsewhere', () => {
    let t = 0;
    const tty: string[] = [];
    const bar = new ProgressBar({ write: (s: string) => tty.push(s), isTTY: true }, () => t);
    bar.start('e1', 2);
    t = 1;
    bar.step(4);
    bar.finish('loss 0.5');
    expect(tty[0]).toMatch(/^\re1 \[#+-+\] 1\/2 {2}4\.0 samples\/s {2}ETA 0:01/);
    const log: string[] = [];
    const plain = new ProgressBar({ write: (s: string) => log.push(s) }, () => t);
    plain.start('e1', 2);
    plain.step(4);
    plain.step(4);
    plain.finish('loss 0.5');
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/2\/2 .* loss 0\.5\n$/);
  });
});

describe('training log CSV', () => {
  it('round-trips and rejects other files', () => {
    const history = [
      { epoch: 1, loss: 0.9, valLoss: 0.8, lr: 1e-4, time: 12.5 },
      { epoch: 2, loss: 0.7, valLoss: 0.75, lr: 1e-5, time: 11 },
    ];
    const text = formatLog(history);
    expect(text.split('\n')[1]).toBe('1,0.9,0.8,0.0001,12.5');
    expect(parseLog(text)).toEqual(history);
    expect(() => parseLog('a,b\n1,2\n')).toThrow(/not a training log/);
  });
});

describe('PNG and panels', () => {
  it('writes a valid RGB PNG whose image data inflates to the filtered rows', () => {
    const pixels = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]);
    const png = encodePng({ width: 2, height: 2, pixels });
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer);
    expect(view.getUint32(16)).toBe(2);
    expect(view.getUint32(20)).toBe(2);
    const idatLength = view.getUint32(33);
    expect(new TextDecoder().decode(png.subarray(37, 41))).toBe('IDAT');
    const raw = inflateSync(png.subarray(41, 41 + idatLength));
    expect([...raw]).toEqual([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 9, 9, 9]);
    // A decoder reads back the same pixels (RGBA, opaque).
    const decoded = PNG.sync.read(Buffer.from(png));
    expect([...decoded.data]).toEqual([
      255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 9, 9, 9, 255,
    ]);
  });

  it('rejects a size or a pixel buffer that do not match', () => {
    expect(() => encodePng({ width: 0, height: 1, pixels: new Uint8Array(0) })).toThrow(
      /PNG size must be positive integers, got 0×1/,
    );
    expect(() => encodePng({ width: 2, height: 1, pixels: new Uint8Array(3) })).toThrow(
      /an RGB 2×1 image needs 6 bytes, got 3/,
    );
  });

  it('takes the middle slice and lays scaled tiles side by side', () => {
    const volume = Float32Array.from({ length: 2 * 2 * 2 }, (_, i) => i);
    expect([...middleSlice(volume, [2, 2, 2])]).toEqual([4, 5, 6, 7]);
    const tile = heatTile('t', [0, 1, 2, 2], 2, 2, 2);
    const image = composePanel([tile, tile], 2);
    expect([image.width, image.height]).toEqual([2 * 2 * 2 + 4, 4]);
    expect([...image.pixels.subarray(0, 3)]).toEqual([0, 0, 0]);
    expect([
      ...image.pixels.subarray((3 * image.width + 3) * 3, (3 * image.width + 3) * 3 + 3),
    ]).toEqual([255, 255, 0]);
  });

  it('draws a learning curve as SVG with both series', () => {
    const svg = learningCurveSvg('run <1>', [
      { epoch: 1, loss: 1, valLoss: 0.9, lr: 1, time: 1 },
      { epoch: 2, loss: 0.5, valLoss: 0.6, lr: 1, time: 1 },
    ]);
    expect(svg).toContain('run &lt;1&gt;');
    expect(svg.match(/<path /g)).toHaveLength(2);
  });

  it('ticks learning curves at integer epochs only', () => {
    expect(integerTicks(1, 6)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(integerTicks(1, 8)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(integerTicks(1, 9)).toEqual([2, 4, 6, 8]);
    expect(integerTicks(1, 40)).toEqual([5, 10, 15, 20, 25, 30, 35, 40]);
    expect(integerTicks(1, 200)).toEqual([50, 100, 150, 200]);
    expect(integerTicks(0.4, 0.6)).toEqual([]);
    expect(() => integerTicks(2, 1)).toThrow(/need finite lo ≤ hi, got 2 and 1/);
    expect(() => integerTicks(0, 1, 0)).toThrow(/maxTicks must be a positive integer/);
    const history = [1, 2, 3, 4, 5].map((epoch) => ({
      epoch,
      loss: 1 / epoch,
      valLoss: 1.1 / epoch,
      lr: 1e-4,
      time: 1,
    }));
    const xLabels = [
      ...learningCurveSvg('run', history).matchAll(/y="(\d+)" text-anchor="middle">([^<]+)</g),
    ]
      .filter(([, y]) => y === '368')
      .map(([, , label]) => label);
    expect(xLabels).toEqual(['1', '2', '3', '4', '5']);
  });
});
