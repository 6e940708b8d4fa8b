import '../test/cpu-backend.js';
import { memory, tensor2d } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  diceLoss,
  getLoss,
  isLossName,
  LOSS_NAMES,
  PAPER_LOSSES,
  parseLossList,
  rewardPenaltyDiceLoss,
  softDiceLoss,
  weightedCrossEntropy,
} from './index.js';

const y = tensor2d([[1, 1, 0, 0]]);
const soft = tensor2d([[1, 2 / 3, 1 / 3, 0]]);
const p = tensor2d([[0.9, 0.6, 0.4, 0.1]]);
const map = tensor2d([[1, 0.5, 0.5, -1]]);
const value = (t: { dataSync(): ArrayLike<number> }) => t.dataSync()[0]!;

describe('loss registry', () => {
  it('lists the six losses and the paper three, with their labels and needs', () => {
    expect([...LOSS_NAMES]).toEqual([
      'wcel',
      'dl',
      'rpdl',
      'soft-dice',
      'staple-dl',
      'majority-dl',
    ]);
    expect([...PAPER_LOSSES]).toEqual(['wcel', 'dl', 'rpdl']);
    const table = LOSS_NAMES.map((name) => {
      const e = getLoss(name);
      expect(e.name).toBe(name);
      expect(e.description.length).toBeGreaterThan(10);
      return [e.label, e.needs.rewardPenaltyMap, e.needs.foregroundWeight, e.needs.target];
    });
    expect(table).toEqual([
      ['WCEL', false, true, 'annotation'],
      ['DL', false, false, 'annotation'],
      ['RPDL', true, false, 'annotation'],
      ['Soft Dice', false, false, 'mean-annotation'],
      ['STAPLE-DL', false, false, 'staple'],
      ['Majority-DL', false, false, 'majority-vote'],
    ]);
  });

  it('computes each loss as the function it names', () => {
    // hand values: WCEL w = 3: −(3·(ln 0.9 + ln 0.6) + ln 0.6 + ln 0.9) / 4
    const wcel = -(3 * (Math.log(0.9) + Math.log(0.6)) + Math.log(0.6) + Math.log(0.9)) / 4;
    expect(value(getLoss('wcel').compute(y, p, { foregroundWeight: 3 }))).toBeCloseTo(wcel, 5);
    expect(value(getLoss('wcel').compute(y, p, { foregroundWeight: 3 }))).toBe(
      value(weightedCrossEntropy(y, p, { weight: 3 })),
    );
    // DL: 1 − (2·1.5 + 1) / (2 + 2 + 1) = 0.2
    expect(value(getLoss('dl').compute(y, p, {}))).toBeCloseTo(0.2, 6);
    expect(value(getLoss('dl').compute(y, p, {}))).toBe(value(diceLoss(y, p)));
    // RPDL: 1 − (2·1.2 + 1) / (1.5 + 1.5 + 1) = 0.15
    expect(value(getLoss('rpdl').compute(y, p, { map }))).toBeCloseTo(0.15, 6);
    expect(value(getLoss('rpdl').compute(y, p, { map }))).toBe(
      value(rewardPenaltyDiceLoss(y, p, map)),
    );
    // Soft Dice on the mean annotation: Σ min(P, Y) = 0.9 + 0.6 + 1/3 + 0
    expect(value(getLoss('soft-dice').compute(soft, p, {}))).toBeCloseTo(
      1 - (2 * (1.5 + 1 / 3) + 1) / (2 + 2 + 1),
      6,
    );
    expect(value(getLoss('soft-dice').compute(soft, p, {}))).toBe(value(softDiceLoss(soft, p)));
    // the fused-target losses are the Dice loss on the target they are given
    for (const name of ['staple-dl', 'majority-dl'] as const) {
      expect(value(getLoss(name).compute(y, p, {}))).toBe(value(diceLoss(y, p)));
    }
  });

  it('ignores inputs a loss does not need and leaks no tensors', () => {
    const before = memory().numTensors;
    for (const name of LOSS_NAMES) {
      getLoss(name).compute(y, p, { map, foregroundWeight: 2 }).dispose();
    }
    expect(memory().numTensors).toBe(before);
  });

  it('passes validate through to the loss', () => {
    const logits = tensor2d([[2, -1, 0.5, -3]]);
    for (const name of LOSS_NAMES) {
      const inputs = { map, foregroundWeight: 2 };
      expect(() => getLoss(name).compute(y, logits, inputs)).toThrow(/must hold probabilities/);
      const loss = getLoss(name).compute(y, logits, { ...inputs, validate: false });
      expect(Number.isFinite(loss.dataSync()[0])).toBe(true);
    }
  });

  it('says which input is missing', () => {
    expect(() => getLoss('rpdl').compute(y, p, {})).toThrow(/loss 'rpdl' needs inputs.map/);
    expect(() => getLoss('wcel').compute(y, p, { map })).toThrow(
      /loss 'wcel' needs inputs.foregroundWeight/,
    );
    expect(() =>
      getLoss('rpdl').compute(y, p, undefined as unknown as Record<string, never>),
    ).toThrow(/needs inputs.map/);
  });

  it('rejects unknown names, listing the valid ones', () => {
    expect(() => getLoss('RPDL')).toThrow(
      "unknown loss 'RPDL'; expected one of wcel, dl, rpdl, soft-dice, staple-dl, majority-dl",
    );
    expect(isLossName('rpdl')).toBe(true);
    expect(isLossName('dice')).toBe(false);
  });

  it('parses comma lists and rejects unknown, duplicate and empty names', () => {
    expect(parseLossList('dl')).toEqual(['dl']);
    expect(parseLossList('dl, rpdl ,soft-dice,staple-dl')).toEqual([
      'dl',
      'rpdl',
      'soft-dice',
      'staple-dl',
    ]);
    expect(() => parseLossList('dl,dl')).toThrow("loss list 'dl,dl' names 'dl' twice");
    expect(() => parseLossList('dl,cel')).toThrow(
      /loss list 'dl,cel': unknown loss 'cel'; expected one of wcel, dl/,
    );
    expect(() => parseLossList('dl,,rpdl')).toThrow(/has an empty item/);
    expect(() => parseLossList('  ')).toThrow(/loss list is empty/);
  });
});
