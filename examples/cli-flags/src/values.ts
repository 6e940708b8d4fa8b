import { UsageError } from './usage-error.js';

/**
 * The integer value of a flag (`fallback` when absent), at least `min`.
 *
 * @throws UsageError when the value is not a whole number ≥ `min`.
 * @example
 * integerFlag('--epochs', '5', 10, 1); // 5
 */
export function integerFlag(
  flag: string,
  raw: string | undefined,
  fallback: number,
  min: number,
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`${flag} must be an integer ≥ ${min}, got '${raw}'`);
  }
  return value;
}

/**
 * The value of a flag that must be a number > 0 (`fallback` when absent).
 *
 * @throws UsageError when the value is not a finite number > 0.
 * @example
 * positiveFlag('--lr', '0.01', 0.001); // 0.01
 */
export function positiveFlag(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new UsageError(`${flag} must be a number > 0, got '${raw}'`);
  }
  return value;
}

/**
 * The value of a flag that must be one of `allowed` (`fallback` when absent); `raw` is what the
 * user typed, for the message, when `value` was converted from it.
 *
 * @throws UsageError when the value is not one of `allowed`.
 * @example
 * oneOfFlag('--loss', 'dl', ['wcel', 'dl', 'rpdl'] as const, 'rpdl'); // 'dl'
 */
export function oneOfFlag<T>(
  flag: string,
  value: unknown,
  allowed: readonly T[],
  fallback: T,
  raw: unknown = value,
): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) {
    throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got '${String(raw)}'`);
  }
  return value as T;
}
