import { describe, expect, it } from 'vitest';
import { levelFilters } from './index.js';

describe('levelFilters', () => {
  it('doubles per level from the base', () => {
    expect(levelFilters(4, 5)).toEqual([4, 8, 16, 32, 64]);
    expect(levelFilters(32, 1)).toEqual([32]);
  });
  it('rejects non-positive or fractional settings', () => {
    expect(() => levelFilters(0, 5)).toThrow(/baseFilters/);
    expect(() => levelFilters(4, 2.5)).toThrow(/depth must be a positive integer, got 2.5/);
  });
});
