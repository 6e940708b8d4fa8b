/**
 * The one binarisation rule of every metric, tensor and typed-array alike: a voxel is
 * foreground where its probability is ≥ the threshold (so p = 0.5 is foreground at the default).
 * This module imports nothing, so the typed-array entry stays free of tfjs.
 */
export const DEFAULT_THRESHOLD = 0.5;

/** Returns the threshold to use, or throws when it is not a finite number. */
export function resolveThreshold(fn: string, threshold: number | undefined): number {
  const value = threshold ?? DEFAULT_THRESHOLD;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`${fn}: threshold must be a finite number, got ${String(value)}`);
  }
  return value;
}
