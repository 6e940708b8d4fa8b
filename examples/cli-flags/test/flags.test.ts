import { describe, expect, it } from 'vitest';
import {
  integerFlag,
  oneOfFlag,
  parseStrictFlags,
  positiveFlag,
  UsageError,
} from '../src/index.js';

describe('integerFlag', () => {
  it('reads whole numbers ≥ min, falls back when absent and rejects the rest', () => {
    expect(integerFlag('--n', '5', 1, 0)).toBe(5);
    expect(integerFlag('--n', undefined, 7, 0)).toBe(7);
    for (const bad of ['-1', '1.5', 'x', '']) {
      expect(() => integerFlag('--n', bad, 1, 0)).toThrow(UsageError);
    }
    expect(() => integerFlag('--n', '1', 1, 2)).toThrow("--n must be an integer ≥ 2, got '1'");
    expect(() => integerFlag('--n', '99999999999999999999', 1, 0)).toThrow(UsageError);
  });
});

describe('positiveFlag', () => {
  it('reads numbers > 0 and rejects zero, negatives, blanks and non-numbers', () => {
    expect(positiveFlag('--lr', '0.5', 1)).toBe(0.5);
    expect(positiveFlag('--lr', undefined, 0.1)).toBe(0.1);
    for (const bad of ['0', '-1', ' ', 'x', 'Infinity']) {
      expect(() => positiveFlag('--lr', bad, 1)).toThrow(`--lr must be a number > 0, got '${bad}'`);
    }
  });
});

describe('oneOfFlag', () => {
  it('accepts the allowed values, falls back when absent, names the typed text otherwise', () => {
    const sizes = [16, 32, 64] as const;
    expect(oneOfFlag('--size', 32, sizes, 16)).toBe(32);
    expect(oneOfFlag('--size', undefined, sizes, 16)).toBe(16);
    expect(() => oneOfFlag('--size', Number('3x'), sizes, 16, '3x')).toThrow(
      "--size must be one of 16, 32, 64, got '3x'",
    );
  });
});

describe('parseStrictFlags', () => {
  const options = { smoke: { type: 'boolean' }, epochs: { type: 'string' } } as const;

  it('parses, ignoring the leading -- pnpm passes on', () => {
    expect(parseStrictFlags(['--', '--smoke', '--epochs', '3'], options)).toEqual({
      smoke: true,
      epochs: '3',
    });
    expect(parseStrictFlags([], options)).toEqual({});
  });

  it('turns unknown flags, missing values and positionals into UsageErrors', () => {
    for (const argv of [['--epoch', '3'], ['--epochs'], ['extra']]) {
      expect(() => parseStrictFlags(argv, options)).toThrow(UsageError);
    }
    expect(() => parseStrictFlags(['--epoch', '3'], options)).toThrow(/--epoch/);
  });
});
