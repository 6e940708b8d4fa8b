import '@tensorflow/tfjs-backend-cpu';
import { cast, setBackend, tensor } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { operandMode, perBlockOperand } from './elementwise-kernels.js';
import { nativeFallbacks } from './kernel-support.js';
import { OperandMode } from './native-binding.js';
import {
  nativeTestsEnabled,
  prng,
  randomTensor,
  relativeError,
  stockAndNative,
} from './test-helpers.js';

describe('operandMode', () => {
  it('recognises full, trailing-block and scalar operands and rejects other broadcasts', () => {
    expect(operandMode([2, 3, 4], [2, 3, 4])).toBe(OperandMode.Full);
    expect(operandMode([1, 1, 1, 1, 8], [2, 4, 4, 4, 8])).toBe(OperandMode.Trailing);
    expect(operandMode([8], [2, 4, 4, 4, 8])).toBe(OperandMode.Trailing);
    expect(operandMode([4, 8], [2, 4, 8])).toBe(OperandMode.Trailing);
    expect(operandMode([], [2, 4, 8])).toBe(OperandMode.Scalar);
    expect(operandMode([1, 1], [2, 4])).toBe(OperandMode.Scalar);
    expect(operandMode([2, 1], [2, 4])).toBeUndefined();
    expect(operandMode([4, 1], [2, 4, 8])).toBeUndefined();
  });
});

describe('perBlockOperand', () => {
  it('finds leading axes, then ones, then trailing axes of the output, and nothing else', () => {
    expect(perBlockOperand([2, 1, 1, 1, 4], [2, 8, 8, 8, 4])).toEqual({ outer: 2, inner: 4 });
    expect(perBlockOperand([2, 3, 1, 1, 4], [2, 3, 8, 8, 4])).toEqual({ outer: 6, inner: 4 });
    expect(perBlockOperand([3, 1, 1], [3, 4, 5])).toEqual({ outer: 3, inner: 1 });
    expect(perBlockOperand([1, 1, 4], [2, 8, 4])).toBeUndefined(); // a trailing block
    expect(perBlockOperand([2, 8, 4], [2, 8, 4])).toBeUndefined(); // full
    expect(perBlockOperand([2, 1, 3, 1, 4], [2, 5, 3, 5, 4])).toBeUndefined(); // two gaps
    expect(perBlockOperand([2, 2, 1, 4], [2, 4, 8, 4])).toBeUndefined(); // 2 ≠ 4
  });
});

const BINARY = [
  'Add',
  'Sub',
  'Multiply',
  'RealDiv',
  'SquaredDifference',
  'Maximum',
  'Minimum',
  'Greater',
];
// [a shape, b shape]: same shape, per-channel vector both ways round, scalar, a stock-only broadcast,
// and one big enough to run multi-threaded.
const BINARY_SHAPES: Array<[number[], number[]]> = [
  [
    [2, 3, 5, 7, 4],
    [2, 3, 5, 7, 4],
  ],
  [[3, 5, 5, 5, 16], [16]],
  [
    [1, 1, 1, 1, 6],
    [2, 3, 3, 3, 6],
  ],
  [[2, 7, 5, 3], []],
  [[], [4, 9]],
  [
    [3, 1],
    [3, 5],
  ],
  [
    [2, 24, 24, 24, 8],
    [1, 1, 1, 1, 8],
  ],
  // Per-sample, per-channel blocks (a spatial dropout mask), both ways round, and a block of 1.
  [
    [2, 5, 4, 3, 6],
    [2, 1, 1, 1, 6],
  ],
  [
    [3, 1, 1, 1, 2],
    [3, 4, 5, 2, 2],
  ],
  [
    [3, 4, 5],
    [3, 1, 1],
  ],
  [
    [2, 24, 24, 24, 8],
    [2, 1, 1, 1, 8],
  ],
];

describe.skipIf(!nativeTestsEnabled)(
  'native element-wise kernels match the stock cpu kernels',
  () => {
    beforeAll(async () => {
      await setBackend('cpu');
    });

    it('leaves a float32 tensor cast from bool (a shared Uint8Array) to the stock kernel', () => {
      // The cpu backend's Cast from bool to float32 keeps the bool tensor's Uint8Array.
      const mask = cast(tensor([1, 0, 1, 1], [4], 'bool'), 'float32');
      const x = tensor([0.5, -2, 3, 4], [4]);
      for (const kernel of ['Multiply', 'Add']) {
        const { stock, native } = stockAndNative(kernel, { a: x, b: mask }, {});
        expect([...native]).toEqual([...stock]);
        expect(nativeFallbacks().has(kernel)).toBe(false);
      }
      const { stock, native } = stockAndNative('Neg', { x: mask }, {});
      expect([...native]).toEqual([-1, -0, -1, -1]);
      expect([...native]).toEqual([...stock]);
      expect(nativeFallbacks().has('Neg')).toBe(false);
    });

    for (const kernel of BINARY) {
      for (const [i, [aShape, bShape]] of BINARY_SHAPES.entries()) {
        it(`${kernel} [${aShape}] with [${bShape}]`, () => {
          const random = prng(3000 + i);
          const a = randomTensor(aShape, random);
          // Keep divisors away from zero so the relative error measures rounding, not cancellation.
          const b =
            kernel === 'RealDiv'
              ? tensor(
                  randomTensor(bShape, random)
                    .dataSync()
                    .map((v) => v + 2),
                  bShape,
                )
              : randomTensor(bShape, random);
          const { stock, native } = stockAndNative(kernel, { a, b }, {});
          if (kernel === 'Greater') expect([...native]).toEqual([...stock]);
          else expect(relativeError(native, stock)).toBeLessThanOrEqual(1e-5);
          expect(nativeFallbacks().has(kernel)).toBe(false);
        });
      }
    }

    const REDUCTIONS: Array<[number[], number | number[], boolean]> = [
      [[2, 5, 6, 7, 8], [0, 1, 2, 3], false],
      [[3, 4, 4, 4, 1], [0, 1, 2, 3], true],
      [[2, 5, 6, 7, 8], [1, 2], false],
      [[4, 9, 11], -1, true],
      [[2, 3, 4, 5, 64], [0, 1, 2, 3, 4], false],
      [[2, 32, 32, 16, 8], [0, 1, 2, 3], false],
    ];
    for (const kernel of ['Sum', 'Mean']) {
      for (const [i, [shape, axis, keepDims]] of REDUCTIONS.entries()) {
        it(`${kernel} of [${shape}] over ${JSON.stringify(axis)}${keepDims ? ' keeping dims' : ''}`, () => {
          const x = randomTensor(shape, prng(4000 + i));
          const { stock, native } = stockAndNative(kernel, { x }, { axis, keepDims });
          expect(relativeError(native, stock)).toBeLessThanOrEqual(1e-5);
          expect(nativeFallbacks().has(kernel)).toBe(false);
        });
      }
    }

    it('Sum over non-contiguous axes is left to the stock kernel and still right', () => {
      const x = randomTensor([3, 4, 5], prng(4100));
      const { stock, native } = stockAndNative('Sum', { x }, { axis: [0, 2], keepDims: false });
      expect([...native]).toEqual([...stock]);
    });

    const CONCATS: Array<[number[][], number]> = [
      [
        [
          [2, 3, 4, 5, 4],
          [2, 3, 4, 5, 8],
        ],
        -1,
      ],
      [
        [
          [2, 3, 4],
          [2, 1, 4],
          [2, 5, 4],
        ],
        1,
      ],
      [
        [
          [1, 6],
          [3, 6],
        ],
        0,
      ],
    ];
    for (const [i, [shapes, axis]] of CONCATS.entries()) {
      it(`Concat ${shapes.map((s) => `[${s}]`).join(' + ')} on axis ${axis}, and SplitV back`, () => {
        const random = prng(5000 + i);
        const parts = shapes.map((s) => randomTensor(s, random));
        const joined = stockAndNative('Concat', parts, { axis });
        expect([...joined.native]).toEqual([...joined.stock]);
        const whole = tensor(joined.native, joined.shape);
        const rank = shapes[0]?.length ?? 0;
        const a = axis < 0 ? axis + rank : axis;
        const sizes = shapes.map((s) => s[a] as number);
        const split = stockAndNative('SplitV', { x: whole }, { numOrSizeSplits: sizes, axis });
        expect([...split.native]).toEqual([...split.stock]);
        // The pieces, laid end to end, are the original inputs.
        expect([...split.native]).toEqual(parts.flatMap((p) => [...p.dataSync()]));
        expect(nativeFallbacks().has('Concat') || nativeFallbacks().has('SplitV')).toBe(false);
      });
    }

    it('Concat of int32 tensors copies them exactly', () => {
      const a = tensor([1, 2, 3, 4], [2, 2], 'int32');
      const b = tensor([5, 6], [2, 1], 'int32');
      const { native } = stockAndNative('Concat', [a, b], { axis: 1 });
      expect([...native]).toEqual([1, 2, 5, 3, 4, 6]);
    });

    for (const kernel of ['Square', 'Neg', 'Sigmoid', 'Exp', 'Sqrt', 'Rsqrt', 'Log']) {
      it(`${kernel} of [2, 17, 16, 15, 4]`, () => {
        const random = prng(7000);
        const raw = randomTensor([2, 17, 16, 15, 4], random);
        // Square roots and logarithms get positive inputs; the others span [-4, 4).
        const positive = ['Sqrt', 'Rsqrt', 'Log'].includes(kernel);
        const x = tensor(
          raw.dataSync().map((v) => (positive ? v + 1.5 : 4 * v)),
          raw.shape,
        );
        const { stock, native } = stockAndNative(kernel, { x }, {});
        expect(relativeError(native, stock)).toBeLessThanOrEqual(1e-5);
        expect(nativeFallbacks().has(kernel)).toBe(false);
      });
    }

    it('LeakyRelu and Select', () => {
      const random = prng(6000);
      const x = randomTensor([2, 9, 8, 7, 3], random);
      const leaky = stockAndNative('LeakyRelu', { x }, { alpha: 0.3 });
      // Both round the double product α·x once, so they agree bit for bit.
      expect([...leaky.native]).toEqual([...leaky.stock]);
      const t = randomTensor([2, 9, 8, 7, 3], random);
      const e = randomTensor([2, 9, 8, 7, 3], random);
      const condition = tensor(
        x.dataSync().map((v) => (v > 0 ? 1 : 0)),
        x.shape,
        'bool',
      );
      const selected = stockAndNative('Select', { condition, t, e }, {});
      expect([...selected.native]).toEqual([...selected.stock]);
    });

    it('Select passes NaN, infinities and signed zeros through unchanged', () => {
      const t = tensor([Number.NaN, 1, Number.POSITIVE_INFINITY, -0, 5, 6, 7, 8, 9], [9]);
      const e = tensor([2, Number.NaN, 3, 4, Number.NEGATIVE_INFINITY, -0, 0, 1e-40, -1e30], [9]);
      const condition = tensor([1, 0, 1, 1, 0, 0, 1, 0, 0], [9], 'bool');
      const { native } = stockAndNative('Select', { condition, t, e }, {});
      expect([...native]).toEqual([
        Number.NaN,
        Number.NaN,
        Number.POSITIVE_INFINITY,
        -0,
        Number.NEGATIVE_INFINITY,
        -0,
        7,
        Math.fround(1e-40),
        Math.fround(-1e30),
      ]);
      expect(Object.is(native[3], -0) && Object.is(native[5], -0)).toBe(true);
    });
  },
);
