/** One slice of a deterministic run list: shard `index` (0-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/**
 * Parses `--shard i/n` (0-based i, 0 ≤ i < n).
 *
 * @example
 * parseShard('1/4'); // { index: 1, count: 4 }
 */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) {
    throw new RangeError(`--shard must look like i/n (e.g. 0/4), got "${text}"`);
  }
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index >= count) {
    throw new RangeError(`--shard ${text}: need 0 ≤ i < n and n ≥ 1`);
  }
  return { index, count };
}

/**
 * The runs shard `index` of `count` owns: every count-th item starting at index, so shards stay
 * balanced when the grid is ordered by cost.
 */
export function selectShard<T>(items: readonly T[], shard: Shard): T[] {
  return items.filter((_, i) => i % shard.count === shard.index);
}
