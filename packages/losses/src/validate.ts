import { mul, sum, Tensor, tidy } from '@tensorflow/tfjs-core';

/** Ranks every loss and metric accepts: 2D/3D images with or without batch and channel axes. */
const MIN_RANK = 2;
const MAX_RANK = 5;

/**
 * Checks that every named input is a tensor of rank 2–5 and that all share the first one's shape.
 * Broadcasting is refused on purpose: a map or target of the wrong shape is a bug, not a wish.
 */
export function assertSameShape(fn: string, inputs: Readonly<Record<string, Tensor>>): void {
  let reference: { name: string; shape: readonly number[] } | undefined;
  for (const [name, t] of Object.entries(inputs)) {
    if (!(t instanceof Tensor)) {
      throw new TypeError(`${fn}: ${name} must be a tfjs Tensor, got ${describe(t)}`);
    }
    if (t.rank < MIN_RANK || t.rank > MAX_RANK) {
      throw new RangeError(
        `${fn}: ${name} has rank ${t.rank} (shape [${t.shape}]); expected rank ${MIN_RANK}–${MAX_RANK}`,
      );
    }
    if (t.size === 0) {
      throw new RangeError(`${fn}: ${name} has no elements (shape [${t.shape}])`);
    }
    if (reference === undefined) reference = { name, shape: t.shape };
    else if (t.shape.join(',') !== reference.shape.join(',')) {
      throw new RangeError(
        `${fn}: ${reference.name} shape [${reference.shape}] and ${name} shape [${t.shape}] must be equal`,
      );
    }
  }
}

/** `smooth` is added to numerator and denominator; a negative one could make the ratio exceed 1. */
export function assertSmooth(fn: string, smooth: number): void {
  if (typeof smooth !== 'number' || !Number.isFinite(smooth) || smooth < 0) {
    throw new RangeError(`${fn}: smooth must be a finite number ≥ 0, got ${String(smooth)}`);
  }
}

/**
 * Downloads the per-group sums a loss has already computed and fails when one is not finite.
 *
 * Any NaN or ±Infinity in an input reaches every sum that multiplies it (∞·0 and NaN·x are NaN),
 * so checking the few sums costs one small download instead of a pass over every input; only on
 * failure are the inputs scanned one by one to name the culprit.
 *
 * @returns the downloaded values, in order.
 */
export function readFiniteSums(
  fn: string,
  sums: readonly Tensor[],
  inputs: Readonly<Record<string, Tensor>>,
): Float32Array[] {
  const values = sums.map((s) => s.dataSync() as Float32Array);
  if (values.every((v) => v.every(Number.isFinite))) return values;
  for (const [name, t] of Object.entries(inputs)) {
    if (!isFiniteTensor(t)) {
      throw new RangeError(`${fn}: ${name} contains NaN or ±Infinity`);
    }
  }
  throw new RangeError(
    `${fn}: a sum overflowed float32; inputs hold values too large for a loss (expected probabilities, masks and maps)`,
  );
}

/** True when no element is NaN or ±Infinity (x·0 is 0 for finite x and NaN otherwise). */
export function isFiniteTensor(t: Tensor): boolean {
  const probe = tidy(() => sum(mul(t, 0)));
  const value = probe.dataSync()[0]!;
  probe.dispose();
  return Number.isFinite(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
