import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkSmokeResult, runExample } from '@rpdl/example-3d-common';
import { memory } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { isensee2017Example } from '../src/example.js';

describe('isensee2017 example', () => {
  it('--smoke trains, scores the held-out bone in [0, 1], writes a PNG panel and frees its tensors', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'isensee2017-')), 'panel.png');
    const before = memory().numTensors;
    const result = await runExample(isensee2017Example, {
      ...isensee2017Example.defaults.smoke,
      out,
    });
    expect(result.perSurgeon).toHaveLength(isensee2017Example.defaults.smoke.surgeons);
    expect(checkSmokeResult(result).height).toBeGreaterThan(0);
    expect(memory().numTensors).toBe(before);
  });
});
