/** Mean and population standard deviation of a sample. */
export interface MeanStd {
  mean: number;
  std: number;
}

/**
 * Mean and population standard deviation (divisor n, NumPy's default `std`, with which the
 * paper's tables were computed) of per-image metric values, summed in order (so a report
 * built from the same values prints the same digits).
 *
 * @param values at least one finite number (an array or a typed array).
 * @throws RangeError on an empty sample or a value that is not finite (NaN included).
 *
 * @example
 * meanStd([1, 2, 3, 4]); // { mean: 2.5, std: 1.118… }
 * meanStd(new Float32Array([0.5, 0.7])); // { mean: 0.6, std: 0.1 } (to float32 precision)
 */
export function meanStd(values: ArrayLike<number>): MeanStd {
  if (values.length === 0) throw new RangeError('meanStd: need at least one value');
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) throw new RangeError(`meanStd: values must be finite, got ${v}`);
    sum += v;
  }
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(squares / values.length) };
}
