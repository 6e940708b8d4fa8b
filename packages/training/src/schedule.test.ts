import { describe, expect, it } from 'vitest';
import { advanceSchedule, initialSchedule, type ScheduleSettings } from './schedule.js';

function replay(settings: ScheduleSettings, losses: number[]) {
  let state = initialSchedule(settings);
  const trace: Array<{ lr: number; improved: boolean; stop: boolean }> = [];
  losses.forEach((loss, i) => {
    const decision = advanceSchedule(state, loss, i + 1, settings);
    state = decision.state;
    trace.push({ lr: state.learningRate, improved: decision.improved, stop: decision.stop });
  });
  return { state, trace };
}

describe('ReduceLROnPlateau and early stopping', () => {
  const settings = {
    learningRate: 1,
    plateauPatience: 2,
    plateauFactor: 0.1,
    earlyStoppingPatience: 3,
  };

  it('reduces the rate after `patience` epochs without improvement and stops after its own patience', () => {
    // epoch:       1    2    3    4    5    6
    // improves:    y    y    n    n    n    -
    // plateau wait 0    0    1    2→LR×0.1, reset 0   1
    // stop wait    0    0    1    2    3 → stop
    const { trace, state } = replay(settings, [1, 0.5, 0.6, 0.7, 0.55]);
    expect(trace.map((t) => t.lr)).toEqual([1, 1, 1, 0.1, 0.1]);
    expect(trace.map((t) => t.improved)).toEqual([true, true, false, false, false]);
    expect(trace.map((t) => t.stop)).toEqual([false, false, false, false, true]);
    expect(state.bestEpoch).toBe(2);
    expect(state.bestValue).toBe(0.5);
  });

  it('needs an improvement larger than the min delta to reset the plateau counter', () => {
    // 0.99995 improves the best (early stopping counts it) but not by 1e-4 (the plateau does not).
    const { trace } = replay({ ...settings, earlyStoppingPatience: 10 }, [1, 0.99995, 0.99991]);
    expect(trace.map((t) => t.improved)).toEqual([true, true, true]);
    expect(trace.map((t) => t.lr)).toEqual([1, 1, 0.1]);
  });

  it('never goes below the minimum learning rate', () => {
    const { trace } = replay(
      { ...settings, plateauPatience: 1, minLearningRate: 0.05, earlyStoppingPatience: 10 },
      [1, 1, 1, 1],
    );
    expect(trace.map((t) => t.lr)).toEqual([1, 0.1, 0.05, 0.05]);
  });

  it('rejects bad settings and NaN losses', () => {
    expect(() => initialSchedule({ ...settings, plateauFactor: 1 })).toThrow(
      /plateauFactor must be in \(0, 1\)/,
    );
    expect(() => initialSchedule({ ...settings, earlyStoppingPatience: 0 })).toThrow(
      /earlyStoppingPatience/,
    );
    expect(() => advanceSchedule(initialSchedule(settings), Number.NaN, 4, settings)).toThrow(
      /epoch 4: the monitored loss is NaN/,
    );
  });
});
