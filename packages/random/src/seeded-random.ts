/**
 * mulberry32: a small, fast generator of uniform numbers in [0, 1) whose whole state is one
 * 32-bit word. Every seeded draw in the project goes through it, so a seed reproduces data,
 * augmentation and training on any platform, and a saved state resumes a run exactly.
 */
export class SeededRandom {
  private word: number;

  /**
   * @param seed any finite number; its integer part modulo 2³² is the initial state.
   *
   * @example
   * const random = new SeededRandom(42);
   * random.next(); // the same number on every run and platform
   */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
    this.word = Math.floor(seed) >>> 0;
  }

  /**
   * The next unsigned 32-bit integer.
   *
   * @example
   * new SeededRandom(1).nextUint32(); // an integer in [0, 2³²)
   */
  nextUint32(): number {
    this.word = (this.word + 0x6d2b79f5) >>> 0;
    let t = this.word;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /**
   * The next float in [0, 1).
   *
   * @example
   * new SeededRandom(1).next(); // 0 ≤ x < 1
   */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /**
   * The complete state (JSON-serialisable), for checkpoints.
   *
   * @example
   * const saved = random.state();
   * const a = random.next();
   * random.setState(saved);
   * random.next() === a; // true
   */
  state(): number {
    return this.word;
  }

  /**
   * Restores a state returned by {@link SeededRandom.state}.
   *
   * @example
   * random.setState(saved);
   */
  setState(state: number): void {
    if (!Number.isInteger(state) || state < 0 || state > 0xffffffff) {
      throw new RangeError(`random state must be a 32-bit unsigned integer, got ${state}`);
    }
    this.word = state;
  }
}

/** A uniform generator on [0, 1), as a plain function. */
export type Random = () => number;

/**
 * A {@link SeededRandom} as a plain function, for code that only draws.
 *
 * @example
 * const random = seededRandom(7);
 * random(); // the same number on every run
 */
export function seededRandom(seed: number): Random {
  const generator = new SeededRandom(seed);
  return () => generator.next();
}

/**
 * Mixes two integers into one seed, so that (seed, salt) streams do not overlap: e.g. one stream
 * per epoch, per bone or per run from one global seed.
 *
 * @example
 * seededRandom(mixSeed(1234, epoch));
 */
export function mixSeed(seed: number, salt: number): number {
  let h = (Math.floor(seed) ^ Math.imul(salt + 0x9e3779b9, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A 32-bit FNV-1a hash of a string, to derive a seed from a name (e.g. a run id), so a run draws
 * the same numbers whichever process or shard executes it.
 *
 * @example
 * hashSeed('1234:exp1/unet3d/dl/fold-0'); // a fixed 32-bit integer
 */
export function hashSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * In-place Fisher–Yates shuffle.
 *
 * @example
 * shuffleInPlace(Uint32Array.from([0, 1, 2, 3]), seededRandom(3));
 */
export function shuffleInPlace<T extends { [i: number]: number; length: number }>(
  values: T,
  random: Random,
): T {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = values[i]!;
    values[i] = values[j]!;
    values[j] = t;
  }
  return values;
}
