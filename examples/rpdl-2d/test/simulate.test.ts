import { UsageError } from '@rpdl/example-cli-flags';
import { countAnnotations } from '@rpdl/rpmap';
import { describe, expect, it } from 'vitest';
import { parseFlags } from '../src/flags.js';
import { simulateAnnotatedImages } from '../src/simulate.js';

describe('simulateAnnotatedImages', () => {
  const data = simulateAnnotatedImages({ images: 6, size: 24, annotators: 5, seed: 3 });

  it('is deterministic for a seed', () => {
    const again = simulateAnnotatedImages({ images: 6, size: 24, annotators: 5, seed: 3 });
    expect(again.images[2]).toEqual(data.images[2]);
    expect(again.masks[5]).toEqual(data.masks[5]);
  });

  it('gives every image a consensus core, a disputed rim and an unmarked background', () => {
    for (const masks of data.masks) {
      expect(masks).toHaveLength(5);
      const counts = countAnnotations(masks);
      expect(counts.includes(5)).toBe(true);
      expect(counts.includes(0)).toBe(true);
      expect(counts.some((c) => c > 0 && c < 5)).toBe(true);
    }
  });

  it('rejects sizes it cannot simulate', () => {
    expect(() => simulateAnnotatedImages({ images: 1, size: 24, annotators: 1, seed: 0 })).toThrow(
      /annotators must be an integer ≥ 2, got 1/,
    );
  });
});

describe('parseFlags', () => {
  it('reads flags, ignores the `--` pnpm passes on, and rejects bad input', () => {
    expect(parseFlags(['--', '--epochs', '3'])?.epochs).toBe(3);
    expect(parseFlags(['--help'])).toBeUndefined();
    expect(() => parseFlags(['--epoch', '3'])).toThrow(UsageError);
    expect(() => parseFlags(['--size', '4'])).toThrow(/--size must be an integer ≥ 8, got '4'/);
  });
});
