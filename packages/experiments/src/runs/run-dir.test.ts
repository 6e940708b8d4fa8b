import { describe, expect, it } from 'vitest';
import { type RunMetrics, stopReasonOf } from './run-dir.js';

const metrics = {
  run: { experiment: 1, model: 'unet3d', loss: 'dl', fold: 0 },
  comparisons: [],
  epochs: 8,
  bestEpoch: 8,
  stoppedEarly: false,
  trainSeconds: 1,
} as unknown as RunMetrics;

describe('stopReasonOf', () => {
  it('reads the recorded stop reason', () => {
    expect(stopReasonOf({ ...metrics, stopReason: 'early-stopping' } as RunMetrics)).toBe(
      'early-stopping',
    );
    expect(stopReasonOf({ ...metrics, stopReason: 'max-epochs' } as RunMetrics)).toBe('max-epochs');
  });

  it('falls back to stoppedEarly for runs recorded without one', () => {
    expect(stopReasonOf(metrics)).toBe('max-epochs');
    expect(stopReasonOf({ ...metrics, stoppedEarly: true })).toBe('early-stopping');
  });

  it('refuses an unknown stop reason, naming the run', () => {
    expect(() => stopReasonOf({ ...metrics, stopReason: 3 } as unknown as RunMetrics)).toThrow(
      /exp1\/unet3d\/dl\/fold-0: metrics.json has stopReason 3, expected 'early-stopping' or 'max-epochs'/,
    );
  });
});
