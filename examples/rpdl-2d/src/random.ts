/** A seeded uniform generator on [0, 1): the same seed gives the same images and annotators. */
export type Random = () => number;

/**
 * Mulberry32: tiny, fast and good enough to simulate data; not for cryptography.
 *
 * @example
 * const random = seededRandom(7);
 * random(); // the same number on every run
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
