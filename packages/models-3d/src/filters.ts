/**
 * Filters per encoder level for the paper's networks: `base · 2^level` for levels 0..depth−1.
 *
 * @example
 * levelFilters(4, 5); // [4, 8, 16, 32, 64] (the paper's U-net)
 */
export function levelFilters(baseFilters: number, depth: number): number[] {
  if (!Number.isInteger(baseFilters) || baseFilters < 1) {
    throw new RangeError(`baseFilters must be a positive integer, got ${baseFilters}`);
  }
  if (!Number.isInteger(depth) || depth < 1) {
    throw new RangeError(`depth must be a positive integer, got ${depth}`);
  }
  return Array.from({ length: depth }, (_, level) => baseFilters * 2 ** level);
}
