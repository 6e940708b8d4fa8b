import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import {
  backend_util,
  type DataType,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { float32Values, float32ValuesIfPlain } from './kernel-support.js';
import { BinaryOp, type NativeAddon, OperandMode, UnaryOp } from './native-binding.js';

type Mode = (typeof OperandMode)[keyof typeof OperandMode];

/**
 * How an operand of shape `shape` broadcasts to `outShape`, in the forms the native loop
 * handles: the full shape, a trailing block (e.g. a per-channel vector against NDHWC data) or a
 * single value. `undefined` for other broadcasts, which stay with the stock kernel.
 *
 * @example
 * operandMode([1, 1, 1, 1, 8], [2, 4, 4, 4, 8]); // OperandMode.Trailing
 */
export function operandMode(
  shape: readonly number[],
  outShape: readonly number[],
): Mode | undefined {
  const size = util.sizeFromShape(shape as number[]);
  if (size === util.sizeFromShape(outShape as number[])) return OperandMode.Full;
  if (size === 1) return OperandMode.Scalar;
  let first = 0;
  while (first < shape.length && shape[first] === 1) first++;
  const core = shape.slice(first);
  const tail = outShape.slice(outShape.length - core.length);
  return util.arraysEqual(core as number[], tail as number[]) ? OperandMode.Trailing : undefined;
}

/**
 * An operand that repeats a trailing block within each of `outer` leading blocks: aligned to the
 * output's rank, its shape is the output's leading axes, then ones, then the output's trailing
 * axes — e.g. a per-sample, per-channel dropout mask `[2, 1, 1, 1, 4]` against `[2, D, H, W, 4]`.
 * `undefined` for other shapes (including ones {@link operandMode} handles whole).
 *
 * @example
 * perBlockOperand([2, 1, 1, 1, 4], [2, 8, 8, 8, 4]); // { outer: 2, inner: 4 }
 */
export function perBlockOperand(
  shape: readonly number[],
  outShape: readonly number[],
): { outer: number; inner: number } | undefined {
  if (shape.length > outShape.length) return undefined;
  const aligned = [...Array(outShape.length - shape.length).fill(1), ...shape] as number[];
  let lead = 0;
  while (lead < aligned.length && aligned[lead] === outShape[lead] && outShape[lead] !== 1) lead++;
  let tail = aligned.length;
  while (tail > lead && aligned[tail - 1] === outShape[tail - 1]) tail--;
  if (lead === 0 || tail === lead) return undefined;
  for (let i = lead; i < tail; i++) if (aligned[i] !== 1) return undefined;
  return {
    outer: util.sizeFromShape(outShape.slice(0, lead) as number[]),
    inner: util.sizeFromShape(outShape.slice(tail) as number[]),
  };
}

/** Most leading blocks a per-block broadcast is split into (one native call each). */
const MAX_BLOCKS = 4096;

/**
 * A native float32 binary kernel (`Add`, `Sub`, `Multiply`, `RealDiv`, …) for the broadcasts
 * {@link operandMode} accepts, and a full operand against a {@link perBlockOperand}.
 *
 * @example
 * const add = binaryNative(addon, BinaryOp.Add, 'float32');
 */
export function binaryNative(addon: NativeAddon, op: number, outDtype: 'float32' | 'bool') {
  return (inputs: NamedTensorInfoMap, backend: MathBackendCPU): TensorInfo | undefined => {
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const aValues = float32ValuesIfPlain(backend, a);
    const bValues = float32ValuesIfPlain(backend, b);
    if (aValues === undefined || bValues === undefined) return undefined;
    const outShape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const size = util.sizeFromShape(outShape);
    if (size === 0) return undefined;
    const aMode = operandMode(a.shape, outShape);
    const bMode = operandMode(b.shape, outShape);
    const out = outDtype === 'bool' ? new Uint8Array(size) : new Float32Array(size);
    if (aMode !== undefined && bMode !== undefined) {
      addon.binary(op, aValues, aMode, bValues, bMode, out);
      return backend.makeTensorInfo(outShape, outDtype, out);
    }
    // One operand full, the other repeating a trailing block per leading block: one call per
    // leading block, each a full-by-trailing broadcast.
    const aBlocks = aMode === OperandMode.Full ? perBlockOperand(b.shape, outShape) : undefined;
    const bBlocks = bMode === OperandMode.Full ? perBlockOperand(a.shape, outShape) : undefined;
    const blocks = aBlocks ?? bBlocks;
    if (blocks === undefined || blocks.outer > MAX_BLOCKS) return undefined;
    const span = size / blocks.outer;
    for (let o = 0; o < blocks.outer; o++) {
      const full = (v: Float32Array) => v.subarray(o * span, (o + 1) * span);
      const part = (v: Float32Array) => v.subarray(o * blocks.inner, (o + 1) * blocks.inner);
      const aPart = aBlocks ? full(aValues) : part(aValues);
      const bPart = aBlocks ? part(bValues) : full(bValues);
      const aPartMode = aBlocks ? OperandMode.Full : OperandMode.Trailing;
      const bPartMode = aBlocks ? OperandMode.Trailing : OperandMode.Full;
      addon.binary(op, aPart, aPartMode, bPart, bPartMode, out.subarray(o * span, (o + 1) * span));
    }
    return backend.makeTensorInfo(outShape, outDtype, out);
  };
}

/**
 * Native float32 `Sum` (scale 1) or `Mean` (scale 1/n) over a contiguous block of axes — batch
 * and space of NDHWC data, the last axes, or all — accumulating in double like the stock kernel.
 *
 * @example
 * const mean = reduceNative(addon, true);
 */
export function reduceNative(addon: NativeAddon, isMean: boolean) {
  return (
    inputs: NamedTensorInfoMap,
    backend: MathBackendCPU,
    attrs: NamedAttrMap,
  ): TensorInfo | undefined => {
    const { x } = inputs as { x: TensorInfo };
    const { axis, keepDims } = attrs as { axis: number | number[]; keepDims: boolean };
    const xValues = float32ValuesIfPlain(backend, x);
    if (xValues === undefined) return undefined;
    const axes = [...new Set(util.parseAxisParam(axis, x.shape))].sort((p, q) => p - q);
    const first = axes[0];
    const last = axes[axes.length - 1];
    if (first === undefined || last === undefined || last - first + 1 !== axes.length)
      return undefined;
    const outer = util.sizeFromShape(x.shape.slice(0, first));
    const mid = util.sizeFromShape(x.shape.slice(first, last + 1));
    const inner = util.sizeFromShape(x.shape.slice(last + 1));
    if (mid === 0) return undefined;
    const [reducedShape] = backend_util.computeOutAndReduceShapes(x.shape, axes);
    const outShape = keepDims
      ? backend_util.expandShapeToKeepDim(reducedShape, axes)
      : reducedShape;
    const out = new Float32Array(outer * inner);
    addon.reduceSum(xValues, out, outer, mid, inner, isMean ? 1 / mid : 1);
    return backend.makeTensorInfo(outShape, 'float32', out);
  };
}

const COPYABLE: ReadonlySet<DataType> = new Set<DataType>(['float32', 'int32', 'bool']);

function typedValues(
  backend: MathBackendCPU,
  t: TensorInfo,
): Float32Array | Int32Array | Uint8Array {
  const values = backend.data.get(t.dataId).values;
  if (
    values instanceof Float32Array ||
    values instanceof Int32Array ||
    values instanceof Uint8Array
  )
    return values;
  throw new Error(`expected numeric data for a ${t.dtype} tensor`);
}

function allocate(dtype: DataType, size: number): Float32Array | Int32Array | Uint8Array {
  if (dtype === 'float32') return new Float32Array(size);
  if (dtype === 'int32') return new Int32Array(size);
  return new Uint8Array(size);
}

/**
 * Native `Concat` of numeric tensors of one dtype along any axis: one row copy per input.
 *
 * @example
 * const concat = concatNative(addon);
 */
export function concatNative(addon: NativeAddon) {
  return (
    inputs: NamedTensorInfoMap,
    backend: MathBackendCPU,
    attrs: NamedAttrMap,
  ): TensorInfo | undefined => {
    const tensors = Object.values(inputs) as TensorInfo[];
    const head = tensors[0];
    if (!head || tensors.length < 2) return undefined;
    const dtype = head.dtype;
    if (
      !COPYABLE.has(dtype) ||
      tensors.some((t) => t.dtype !== dtype || util.sizeFromShape(t.shape) === 0)
    ) {
      return undefined;
    }
    const axis = util.parseAxisParam((attrs as { axis: number }).axis, head.shape)[0] as number;
    const shapes = tensors.map((t) => t.shape);
    backend_util.assertParamsConsistent(shapes, axis);
    const outShape = backend_util.computeOutShape(shapes, axis);
    const out = allocate(dtype, util.sizeFromShape(outShape));
    const rows = util.sizeFromShape(outShape.slice(0, axis));
    const bytes = out.BYTES_PER_ELEMENT;
    const dstRow = util.sizeFromShape(outShape.slice(axis)) * bytes;
    let offset = 0;
    for (const t of tensors) {
      const row = util.sizeFromShape(t.shape.slice(axis)) * bytes;
      addon.copyRows(typedValues(backend, t), out, rows, row, 0, dstRow, offset, row);
      offset += row;
    }
    return backend.makeTensorInfo(outShape, dtype, out);
  };
}

/**
 * Native `SplitV` (the gradient of a concatenation) along any axis.
 *
 * @example
 * const split = splitNative(addon);
 */
export function splitNative(addon: NativeAddon) {
  return (
    inputs: NamedTensorInfoMap,
    backend: MathBackendCPU,
    attrs: NamedAttrMap,
  ): TensorInfo[] | undefined => {
    const { x } = inputs as { x: TensorInfo };
    const { numOrSizeSplits, axis } = attrs as { numOrSizeSplits: number | number[]; axis: number };
    if (!COPYABLE.has(x.dtype) || util.sizeFromShape(x.shape) === 0) return undefined;
    const $axis = util.parseAxisParam(axis, x.shape)[0] as number;
    const sizes = backend_util.prepareSplitSize(x, numOrSizeSplits, $axis);
    const src = typedValues(backend, x);
    const bytes = src.BYTES_PER_ELEMENT;
    const rows = util.sizeFromShape(x.shape.slice(0, $axis));
    const after = util.sizeFromShape(x.shape.slice($axis + 1)) * bytes;
    const srcRow = (x.shape[$axis] as number) * after;
    let begin = 0;
    return sizes.map((size) => {
      const shape = [...x.shape];
      shape[$axis] = size;
      const out = allocate(x.dtype, util.sizeFromShape(shape));
      if (out.length > 0)
        addon.copyRows(src, out, rows, srcRow, begin * after, size * after, 0, size * after);
      begin += size;
      return backend.makeTensorInfo(shape, x.dtype, out);
    });
  };
}

/**
 * Native float32 `LeakyRelu`: `x < 0 ? α·x : x`.
 *
 * @example
 * const leaky = leakyReluNative(addon);
 */
export function leakyReluNative(addon: NativeAddon) {
  return (
    inputs: NamedTensorInfoMap,
    backend: MathBackendCPU,
    attrs: NamedAttrMap,
  ): TensorInfo | undefined => {
    const { x } = inputs as { x: TensorInfo };
    const xValues = float32ValuesIfPlain(backend, x);
    if (xValues === undefined) return undefined;
    const out = new Float32Array(util.sizeFromShape(x.shape));
    addon.leakyRelu(xValues, out, (attrs as { alpha: number }).alpha);
    return backend.makeTensorInfo(x.shape, 'float32', out);
  };
}

/**
 * A native float32 unary kernel (`Square`, `Neg`, `Sigmoid`, `Exp`, `Sqrt`, `Rsqrt`, `Log`).
 *
 * @example
 * const sigmoid = unaryNative(addon, UnaryOp.Sigmoid);
 */
export function unaryNative(addon: NativeAddon, op: number) {
  return (inputs: NamedTensorInfoMap, backend: MathBackendCPU): TensorInfo | undefined => {
    const { x } = inputs as { x: TensorInfo };
    const xValues = float32ValuesIfPlain(backend, x);
    if (xValues === undefined) return undefined;
    const out = new Float32Array(util.sizeFromShape(x.shape));
    addon.unary(op, xValues, out);
    return backend.makeTensorInfo(x.shape, 'float32', out);
  };
}

/**
 * Native `Select` (`where`) with a boolean condition of the same shape as float32 `t` and `e`.
 *
 * @example
 * const where = selectNative(addon);
 */
export function selectNative(addon: NativeAddon) {
  return (inputs: NamedTensorInfoMap, backend: MathBackendCPU): TensorInfo | undefined => {
    const { condition, t, e } = inputs as { condition: TensorInfo; t: TensorInfo; e: TensorInfo };
    if (condition.dtype !== 'bool' || t.dtype !== 'float32' || e.dtype !== 'float32')
      return undefined;
    if (!util.arraysEqual(condition.shape, t.shape) || !util.arraysEqual(t.shape, e.shape))
      return undefined;
    const c = backend.data.get(condition.dataId).values;
    if (!(c instanceof Uint8Array)) return undefined;
    const out = new Float32Array(util.sizeFromShape(t.shape));
    addon.select(c, float32Values(backend, t, 't'), float32Values(backend, e, 'e'), out);
    return backend.makeTensorInfo(t.shape, 'float32', out);
  };
}

/** The unary kernels and the operation each maps to. */
export const UNARY_KERNELS: ReadonlyArray<readonly [string, number]> = [
  ['Square', UnaryOp.Square],
  ['Neg', UnaryOp.Neg],
  ['Sigmoid', UnaryOp.Sigmoid],
  ['Exp', UnaryOp.Exp],
  ['Sqrt', UnaryOp.Sqrt],
  ['Rsqrt', UnaryOp.Rsqrt],
  ['Log', UnaryOp.Log],
];

/** The binary kernels and the operation each maps to. */
export const BINARY_KERNELS: ReadonlyArray<readonly [string, number, 'float32' | 'bool']> = [
  ['Add', BinaryOp.Add, 'float32'],
  ['Sub', BinaryOp.Sub, 'float32'],
  ['Multiply', BinaryOp.Mul, 'float32'],
  ['RealDiv', BinaryOp.Div, 'float32'],
  ['SquaredDifference', BinaryOp.SquaredDifference, 'float32'],
  ['Maximum', BinaryOp.Maximum, 'float32'],
  ['Minimum', BinaryOp.Minimum, 'float32'],
  ['Greater', BinaryOp.Greater, 'bool'],
];
