import type { Random } from '@rpdl/random';

/**
 * A uniform draw on [low, high).
 *
 * @example
 * uniform(seededRandom(1), -1, 1);
 */
export function uniform(random: Random, low: number, high: number): number {
  return low + (high - low) * random();
}

/**
 * A standard normal draw (Box–Muller).
 *
 * @example
 * gaussian(seededRandom(1));
 */
export function gaussian(random: Random): number {
  const u = Math.max(random(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
