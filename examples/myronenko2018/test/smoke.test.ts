import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkSmokeResult, runExample } from '@rpdl/example-3d-common';
import { memory } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { myronenko2018Example } from '../src/example.js';

describe('myronenko2018 example', () => {
  it('--smoke trains, scores the held-out bone in [0, 1], writes a PNG panel and frees its tensors', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'myronenko2018-')), 'panel.png');
    const before = memory().numTensors;
    const result = await runExample(myronenko2018Example, {
      ...myronenko2018Example.defaults.smoke,
      out,
    });
    expect(result.perSurgeon).toHaveLength(myronenko2018Example.defaults.smoke.surgeons);
    expect(checkSmokeResult(result).height).toBeGreaterThan(0);
    expect(memory().numTensors).toBe(before);
  });
});
