import { describe, expect, it } from 'vitest';
import { hashSeed, mixSeed, SeededRandom, seededRandom, shuffleInPlace } from './seeded-random.js';

/** mulberry32 written out independently, step by step, as the reference. */
function referenceMulberry32(seed: number, count: number): number[] {
  const out: number[] = [];
  let a = seed >>> 0;
  for (let i = 0; i < count; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out.push(((t ^ (t >>> 14)) >>> 0) / 2 ** 32);
  }
  return out;
}

describe('SeededRandom', () => {
  it('draws the mulberry32 sequence', () => {
    const random = new SeededRandom(42);
    const drawn = Array.from({ length: 50 }, () => random.next());
    expect(drawn).toEqual(referenceMulberry32(42, 50));
  });

  it('resumes exactly from a saved state', () => {
    const random = new SeededRandom(7);
    for (let i = 0; i < 10; i++) random.next();
    const saved = random.state();
    const after = [random.next(), random.next(), random.next()];
    const restored = new SeededRandom(999);
    restored.setState(saved);
    expect([restored.next(), restored.next(), restored.next()]).toEqual(after);
    expect(JSON.parse(JSON.stringify(saved))).toBe(saved);
  });

  it('stays in [0, 1)', () => {
    const random = new SeededRandom(3);
    for (let i = 0; i < 10_000; i++) {
      const x = random.next();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });

  it('rejects a non-finite seed and a bad state', () => {
    expect(() => new SeededRandom(Number.NaN)).toThrow(/seed must be a finite number, got NaN/);
    const random = new SeededRandom(1);
    expect(() => random.setState(-1)).toThrow(/32-bit unsigned integer, got -1/);
    expect(() => random.setState(1.5)).toThrow(/got 1.5/);
    expect(() => random.setState(2 ** 32)).toThrow(/got 4294967296/);
  });

  it('seededRandom is the same stream as a function', () => {
    const random = seededRandom(11);
    expect([random(), random()]).toEqual(referenceMulberry32(11, 2));
  });
});

describe('mixSeed, hashSeed', () => {
  it('gives distinct 32-bit seeds for distinct salts', () => {
    const seeds = new Set(Array.from({ length: 1000 }, (_, i) => mixSeed(1234, i)));
    expect(seeds.size).toBe(1000);
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s <= 0xffffffff).toBe(true);
  });

  it('hashSeed is FNV-1a (hand value for "a")', () => {
    // FNV-1a 32: (0x811c9dc5 ^ 0x61) * 0x01000193 mod 2³² = 0xe40c292c
    expect(hashSeed('a')).toBe(0xe40c292c);
    expect(hashSeed('')).toBe(0x811c9dc5);
  });
});

describe('shuffleInPlace', () => {
  it('permutes and is reproducible', () => {
    const a = shuffleInPlace(
      Uint32Array.from({ length: 20 }, (_, i) => i),
      seededRandom(5),
    );
    const b = shuffleInPlace(
      Uint32Array.from({ length: 20 }, (_, i) => i),
      seededRandom(5),
    );
    expect([...a]).toEqual([...b]);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect([...a]).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
