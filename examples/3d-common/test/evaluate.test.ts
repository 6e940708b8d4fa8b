import { describe, expect, it } from 'vitest';
import { scoreHeldOutBone, surgeonAgreement } from '../src/index.js';

describe('scoreHeldOutBone', () => {
  // 4 voxels, 2 surgeons. Surgeon A marked voxels 0, 1; surgeon B marked 0, 2.
  // Counts [2, 1, 1, 0] → map [1, 0.5, 0.5, −1]. The prediction thresholds to [1, 1, 0, 1].
  const a = Uint8Array.of(1, 1, 0, 0);
  const b = Uint8Array.of(1, 0, 1, 0);
  const map = Float32Array.of(1, 0.5, 0.5, -1);
  const p = Float32Array.of(0.9, 0.6, 0.4, 0.7);

  it('scores against each surgeon (hand-derived)', () => {
    const scores = scoreHeldOutBone(p, [a, b], map);
    // Dice(A) = 2·2 / (2 + 3) = 0.8; Dice(B) = 2·1 / (2 + 3) = 0.4.
    // RPD(A) = 2·(1 + 0.5) / ((1 + 0.5) + (1 + 0.5 + 1)) = 3 / 4 = 0.75.
    // RPD(B) = 2·1 / ((1 + 0.5) + 2.5) = 2 / 4 = 0.5.
    expect(scores.perSurgeon[0]!.dice).toBeCloseTo(0.8, 6);
    expect(scores.perSurgeon[1]!.dice).toBeCloseTo(0.4, 6);
    expect(scores.perSurgeon[0]!.rpd).toBeCloseTo(0.75, 6);
    expect(scores.perSurgeon[1]!.rpd).toBeCloseTo(0.5, 6);
    expect(scores.dice.mean).toBeCloseTo(0.6, 6);
    expect(scores.dice.std).toBeCloseTo(0.2, 6);
    expect(scores.rpd.mean).toBeCloseTo(0.625, 6);
  });

  it('rejects volumes of different lengths and an empty surgeon list', () => {
    expect(() => scoreHeldOutBone(p, [Uint8Array.of(1, 0)], map)).toThrow(/a mask has 2 voxels/);
    expect(() => scoreHeldOutBone(p, [a], Float32Array.of(1))).toThrow(/the map has 1 voxels/);
    expect(() => scoreHeldOutBone(p, [], map)).toThrow(/no surgeon/);
  });
});

describe('surgeonAgreement', () => {
  it('averages Dice over ordered pairs', () => {
    // Dice(A, B) = 2·1 / (2 + 2) = 0.5 both ways.
    expect(surgeonAgreement([Uint8Array.of(1, 1, 0, 0), Uint8Array.of(1, 0, 1, 0)])).toEqual({
      mean: 0.5,
      std: 0,
    });
  });

  it('uses the population standard deviation', () => {
    // A = {0, 1}, B = {0}, C = {0, 1, 2}: Dice AB = ⅔, AC = ⅘, BC = ½ (each both ways);
    // mean 59/90, population std over the six values √(Σ(d − mean)²/6).
    const dices = [2 / 3, 4 / 5, 1 / 2];
    const mean = (2 * dices.reduce((a, d) => a + d, 0)) / 6;
    const std = Math.sqrt((2 * dices.reduce((a, d) => a + (d - mean) ** 2, 0)) / 6);
    const got = surgeonAgreement([
      Uint8Array.of(1, 1, 0, 0),
      Uint8Array.of(1, 0, 0, 0),
      Uint8Array.of(1, 1, 1, 0),
    ]);
    expect(got.mean).toBeCloseTo(mean, 6);
    expect(got.std).toBeCloseTo(std, 6);
  });

  it('needs two surgeons to compare', () => {
    expect(() => surgeonAgreement([Uint8Array.of(1, 0)])).toThrow(
      "surgeonAgreement: needs at least two surgeons' masks to compare, got 1",
    );
  });
});
