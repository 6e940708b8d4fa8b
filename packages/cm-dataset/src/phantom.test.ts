import { describe, expect, it } from 'vitest';
import { datasetStatistics, generatePhantom, PHANTOM_LABELS, validateCmDataset } from './index.js';

describe('generatePhantom', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = generatePhantom({ size: 16, bones: 2, surgeons: 3, seed: 5 });
    const b = generatePhantom({ size: 16, bones: 2, surgeons: 3, seed: 5 });
    const c = generatePhantom({ size: 16, bones: 2, surgeons: 3, seed: 6 });
    expect(a).toEqual(b);
    expect(a.inputs[0]).not.toEqual(c.inputs[0]);
  });

  it('has the CM layout and valid labels and masks', () => {
    const data = generatePhantom({ size: 16, seed: 1 });
    expect(data.layout).toEqual({ bones: 9, surgeons: 7 });
    expect(data.spatialShape).toEqual([16, 16, 16]);
    expect(data.inputs).toHaveLength(9);
    expect(data.masks).toHaveLength(63);
    expect(() => validateCmDataset(data)).not.toThrow();
    expect(PHANTOM_LABELS).toHaveLength(14);
  });

  it('gives every bone a different anatomy', () => {
    const data = generatePhantom({ size: 32, bones: 4, surgeons: 1, seed: 2 });
    const boneVoxels = data.inputs.map((x) => x.reduce((n, v) => n + (v === 1 ? 1 : 0), 0));
    expect(new Set(boneVoxels).size).toBe(4);
  });

  it('refuses unsupported sizes and counts', () => {
    expect(() => generatePhantom({ size: 48 as 64 })).toThrow(/size must be 16, 32 or 64, got 48/);
    expect(() => generatePhantom({ size: 16, bones: 0 })).toThrow(/bones must be an integer/);
    expect(() => generatePhantom({ size: 16, surgeons: 1.5 })).toThrow(/surgeons must be/);
    expect(() => generatePhantom({ size: 16, seed: Number.NaN })).toThrow(
      /seed must be finite|seed must be a finite/,
    );
  });

  it('meets the documented targets at 32³ for several seeds', () => {
    for (const seed of [0, 1, 2]) {
      const s = datasetStatistics(generatePhantom({ size: 32, seed }));
      expect(s.foregroundFraction).toBeGreaterThan(0.02);
      expect(s.foregroundFraction).toBeLessThan(0.06);
      expect(s.pairwiseDiceMean).toBeGreaterThan(0.6);
      expect(s.pairwiseDiceMean).toBeLessThan(0.8);
    }
  });

  it('at 64³ (seed 0): targets met, drilled voxels are bone, no drilled voxel touches a structure', () => {
    const data = generatePhantom({ size: 64, seed: 0 });
    const s = datasetStatistics(data);
    expect(s.foregroundFraction).toBeGreaterThan(0.02);
    expect(s.foregroundFraction).toBeLessThan(0.06);
    expect(s.pairwiseDiceMean).toBeGreaterThan(0.6);
    expect(s.pairwiseDiceMean).toBeLessThan(0.8);
    for (const d of s.pairwiseDicePerBone) expect(d).toBeGreaterThan(0.5);
    const n = 64;
    const structure = (label: number) => label >= 2 && label <= 12;
    let drilled = 0;
    data.masks.forEach((mask, row) => {
      const labels = data.inputs[Math.floor(row / 7)]!;
      for (let i = 0; i < mask.length; i++) {
        if (!mask[i]) continue;
        drilled++;
        const label = labels[i]!;
        if (label !== 1 && label !== 13)
          throw new Error(`row ${row}: drilled voxel ${i} has label ${label}`);
        const z = Math.floor(i / (n * n));
        const y = Math.floor(i / n) % n;
        const x = i % n;
        for (const [dz, dy, dx] of [
          [1, 0, 0],
          [-1, 0, 0],
          [0, 1, 0],
          [0, -1, 0],
          [0, 0, 1],
          [0, 0, -1],
        ] as const) {
          const [zz, yy, xx] = [z + dz, y + dy, x + dx];
          if (zz < 0 || yy < 0 || xx < 0 || zz >= n || yy >= n || xx >= n) continue;
          if (structure(labels[zz * n * n + yy * n + xx]!)) {
            throw new Error(
              `row ${row}: drilled voxel ${i} touches label ${labels[zz * n * n + yy * n + xx]}`,
            );
          }
        }
      }
    });
    expect(drilled).toBeGreaterThan(0);
  });

  it("keeps each surgeon's style across bones: drilled volumes rank consistently", () => {
    const data = generatePhantom({ size: 32, bones: 9, surgeons: 7, seed: 3 });
    const volume = (r: number) => data.masks[r]!.reduce((a, v) => a + v, 0);
    const ranks = Array.from({ length: 9 }, (_, b) => {
      const v = Array.from({ length: 7 }, (_, s) => volume(b * 7 + s));
      return v.map((x) => v.filter((y) => y < x).length);
    });
    // Spearman-like check: mean rank correlation between bones is clearly positive.
    let total = 0;
    let pairs = 0;
    for (let a = 0; a < 9; a++) {
      for (let b = a + 1; b < 9; b++) {
        let d2 = 0;
        for (let s = 0; s < 7; s++) d2 += (ranks[a]![s]! - ranks[b]![s]!) ** 2;
        total += 1 - (6 * d2) / (7 * (49 - 1));
        pairs++;
      }
    }
    expect(total / pairs).toBeGreaterThan(0.5);
  });
});

describe('datasetStatistics', () => {
  it('computes foreground and pairwise Dice on a hand-made 1 × 3 dataset', () => {
    const s = datasetStatistics({
      layout: { bones: 1, surgeons: 3 },
      spatialShape: [1, 1, 4],
      inputs: [Int8Array.of(1, 1, 1, 1)],
      masks: [Uint8Array.of(1, 1, 0, 0), Uint8Array.of(1, 0, 0, 0), Uint8Array.of(0, 0, 1, 1)],
    });
    // fractions 2/4, 1/4, 2/4 → 5/12; Dice pairs: 2·1/3, 0, 0 → mean 2/9.
    expect(s.foregroundFraction).toBeCloseTo(5 / 12, 12);
    expect(s.pairwiseDicePerBone[0]).toBeCloseTo(2 / 9, 12);
    expect(s.pairwiseDiceMean).toBeCloseTo(2 / 9, 12);
    expect(s.pairwiseDiceStd).toBe(0);
    expect(s.labelFractions[1]).toBe(1);
  });

  it('summarises the agreement over bones with the population std, and leaves one surgeon undefined', () => {
    const twoBones = datasetStatistics({
      layout: { bones: 2, surgeons: 2 },
      spatialShape: [1, 1, 2],
      inputs: [Int8Array.of(0, 1), Int8Array.of(0, 1)],
      masks: [Uint8Array.of(1, 1), Uint8Array.of(1, 1), Uint8Array.of(1, 0), Uint8Array.of(0, 1)],
    });
    // bone 0 agrees perfectly (1), bone 1 not at all (0): mean ½, population std ½.
    expect(twoBones.pairwiseDicePerBone).toEqual([1, 0]);
    expect([twoBones.pairwiseDiceMean, twoBones.pairwiseDiceStd]).toEqual([0.5, 0.5]);
    const oneSurgeon = datasetStatistics({
      layout: { bones: 2, surgeons: 1 },
      spatialShape: [1, 1, 2],
      inputs: [Int8Array.of(0, 1), Int8Array.of(0, 1)],
      masks: [Uint8Array.of(1, 1), Uint8Array.of(1, 0)],
    });
    expect(oneSurgeon.pairwiseDiceMean).toBeNaN();
    expect(oneSurgeon.pairwiseDiceStd).toBeNaN();
  });
});
