/**
 * Hands out distinct seeds from one model seed, so that every layer of a seeded model gets
 * its own reproducible initialiser (one shared seed would give equal-shaped kernels equal
 * values). Unseeded models get `undefined` throughout.
 */
export class SeedSequence {
  private next: number | undefined;

  constructor(seed: number | undefined) {
    this.next = seed;
  }

  /**
   * The next seed, or `undefined` for an unseeded model.
   *
   * @example
   * const seeds = new SeedSequence(7);
   * seeds.take(); // 7
   * seeds.take(); // 8
   */
  take(): number | undefined {
    if (this.next === undefined) return undefined;
    const seed = this.next;
    this.next += 1;
    return seed;
  }
}
