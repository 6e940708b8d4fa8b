/** The complete state of a {@link SeededRandom}: four 32-bit words, JSON-serialisable. */
export type RandomState = [number, number, number, number];

/**
 * A small seeded PRNG (sfc32) whose whole state can be saved and restored, so a resumed run draws
 * exactly the numbers the uninterrupted run would have drawn.
 *
 * @example
 * const rng = new SeededRandom(42);
 * const saved = rng.state();
 * const a = rng.next();
 * rng.setState(saved);
 * rng.next() === a; // true
 */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) {
      throw new RangeError(`seed must be an integer, got ${seed}`);
    }
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    // Warm up so that nearby seeds give unrelated streams.
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Next float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A copy of the current state. */
  state(): RandomState {
    return [this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0];
  }

  /** Restores a state returned by {@link SeededRandom.state}. */
  setState(state: RandomState): void {
    if (state.length !== 4 || state.some((v) => !Number.isInteger(v) || v < 0 || v > 0xffffffff)) {
      throw new RangeError(`random state must be four 32-bit unsigned integers, got ${state}`);
    }
    [this.a, this.b, this.c, this.d] = state.map((v) => v | 0) as RandomState;
  }
}

/**
 * Routes `Math.random` through a seeded generator until the returned function is called.
 * TensorFlow.js draws the seeds of unseeded random ops (dropout masks, weight initialisers) from
 * `Math.random`, so this is what makes a training run reproducible and exactly resumable.
 *
 * @example
 * const restore = installMathRandom(new SeededRandom(7));
 * try { train(); } finally { restore(); }
 */
export function installMathRandom(rng: SeededRandom): () => void {
  const original = Math.random;
  Math.random = () => rng.next();
  return () => {
    Math.random = original;
  };
}
