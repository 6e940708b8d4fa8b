import { describe, expect, it } from 'vitest';
import { parseShard, selectShard } from '../index.js';

describe('shards', () => {
  it('parses i/n and rejects malformed or out-of-range shards', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(() => parseShard('3/3')).toThrow(/0 ≤ i < n/);
    expect(() => parseShard('1-3')).toThrow(/look like i\/n/);
    expect(() => parseShard('0/0')).toThrow(/n ≥ 1/);
  });

  it('splits a list into disjoint shards that cover it', () => {
    const items = [...Array(10).keys()];
    const parts = [0, 1, 2].map((index) => selectShard(items, { index, count: 3 }));
    expect(parts).toEqual([
      [0, 3, 6, 9],
      [1, 4, 7],
      [2, 5, 8],
    ]);
  });
});
