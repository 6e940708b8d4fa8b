import '@tensorflow/tfjs-backend-cpu';
import { setBackend, type Tensor } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomTensor } from '../../test/numeric.js';
import { myronenko2018 } from './myronenko2018.js';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('paper-size prediction [1, 64, 64, 64, 1]', () => {
  // The default base of 32 filters is checked by parameter count only: one 64³ forward pass
  // at base 32 takes minutes on the stock cpu backend.
  it('myronenko2018 at 64³ (base 4, 4 groups)', () => {
    const volume = randomTensor([1, 64, 64, 64, 1], 64);
    const model = myronenko2018({ baseFilters: 4, groups: 4 });
    const [seg, reconstruction, zMean] = model.predict(volume) as Tensor[];
    expect(seg?.shape).toEqual([1, 64, 64, 64, 1]);
    const v = seg?.dataSync() ?? [];
    expect(Array.from(v).every((p) => p >= 0 && p <= 1)).toBe(true);
    expect(reconstruction?.shape).toEqual([1, 64, 64, 64, 1]);
    expect(zMean?.shape).toEqual([1, 128]);
    model.dispose();
  });
});
