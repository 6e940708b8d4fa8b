import { describe, expect, it } from 'vitest';
import { isParentMessage, isWorkerMessage } from './worker-protocol.js';

const run = { experiment: 1, model: 'unet3d', loss: 'dl', fold: 0 };

describe('worker protocol guards', () => {
  it('accept every well-formed message', () => {
    expect(isWorkerMessage({ type: 'ready' })).toBe(true);
    expect(isWorkerMessage({ type: 'progress', text: 'epoch 1' })).toBe(true);
    expect(
      isWorkerMessage({ type: 'done', index: 3, status: 'trained', metrics: { run } }),
    ).toBe(true);
    expect(isWorkerMessage({ type: 'failed', index: null, message: 'no backend' })).toBe(true);
    expect(isParentMessage({ type: 'setup', setup: {} })).toBe(true);
    expect(isParentMessage({ type: 'run', index: 0, run })).toBe(true);
  });
  it('reject malformed ones and the other side’s messages', () => {
    expect(isWorkerMessage(null)).toBe(false);
    expect(isWorkerMessage('ready')).toBe(false);
    expect(isWorkerMessage({ type: 'progress' })).toBe(false);
    expect(isWorkerMessage({ type: 'done', index: 1.5, status: 'trained', metrics: {} })).toBe(false);
    expect(isWorkerMessage({ type: 'done', index: 1, status: 'stopped', metrics: {} })).toBe(false);
    expect(isWorkerMessage({ type: 'failed', index: 0 })).toBe(false);
    expect(isWorkerMessage({ type: 'run', index: 0, run })).toBe(false);
    expect(isParentMessage({ type: 'run', index: 0, run: { experiment: 1 } })).toBe(false);
    expect(isParentMessage({ type: 'setup', setup: null })).toBe(false);
    expect(isParentMessage({ type: 'ready' })).toBe(false);
  });
});
