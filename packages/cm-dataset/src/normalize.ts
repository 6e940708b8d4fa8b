export interface NormalizeOptions {
  /** Labels are divided by this (default 6.5, half the largest CM label 13). */
  scale?: number;
  /** Then this is added (default −1), so labels 0..13 map to −1..1. */
  shift?: number;
}

/**
 * The paper's input normalisation `x / scale + shift` (default x/6.5 − 1), into a new
 * Float32Array or, given `target` and `offset`, into a slot of an existing buffer.
 *
 * @throws RangeError when `scale` is 0 or not finite, or `shift` is not finite.
 *
 * @example
 * normalizeInput(Int8Array.of(0, 13, 1)); // Float32Array [-1, 1, -0.846…]
 */
export function normalizeInput(
  labels: ArrayLike<number>,
  options: NormalizeOptions = {},
  target?: Float32Array,
  offset = 0,
): Float32Array {
  const scale = options.scale ?? 6.5;
  const shift = options.shift ?? -1;
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale === 0) {
    throw new RangeError(`normalizeInput: scale must be a finite non-zero number, got ${scale}`);
  }
  if (typeof shift !== 'number' || !Number.isFinite(shift)) {
    throw new RangeError(`normalizeInput: shift must be a finite number, got ${shift}`);
  }
  const out = target ?? new Float32Array(labels.length);
  if (offset < 0 || offset + labels.length > out.length) {
    throw new RangeError(
      `normalizeInput: target of length ${out.length} cannot hold ${labels.length} values at offset ${offset}`,
    );
  }
  for (let i = 0; i < labels.length; i++) out[offset + i] = labels[i]! / scale + shift;
  return out;
}
