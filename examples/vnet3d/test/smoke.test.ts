import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkSmokeResult, runExample } from '@rpdl/example-3d-common';
import { memory } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { vnet3dExample } from '../src/example.js';

describe('vnet3d example', () => {
  it('--smoke trains, scores the held-out bone in [0, 1], writes a PNG panel and frees its tensors', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'vnet3d-')), 'panel.png');
    const before = memory().numTensors;
    const result = await runExample(vnet3dExample, { ...vnet3dExample.defaults.smoke, out });
    expect(result.perSurgeon).toHaveLength(vnet3dExample.defaults.smoke.surgeons);
    expect(checkSmokeResult(result).height).toBeGreaterThan(0);
    expect(memory().numTensors).toBe(before);
  });
});
