import '@tensorflow/tfjs-backend-cpu';
import { memory, setBackend, tensor, tensor1d, tensor3d } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { countAnnotations, referenceTarget, rewardPenaltyMap } from './index.js';
import { referenceTargetTensor, rewardPenaltyMapTensor } from './tensor.js';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('rewardPenaltyMapTensor', () => {
  it('maps [K, H, W] annotations to an [H, W] map (hand-derived)', () => {
    const masks = tensor3d([
      [
        [1, 1],
        [0, 0],
      ],
      [
        [1, 0],
        [0, 1],
      ],
    ]);
    const map = rewardPenaltyMapTensor(masks);
    expect(map.shape).toEqual([2, 2]);
    expect(map.dtype).toBe('float32');
    expect(Array.from(map.dataSync())).toEqual([1, 0.5, -1, 0.5]);
  });

  it('agrees with the typed-array map for both scales on a 3D volume, without leaks', () => {
    const k = 3;
    const spatial = [2, 3, 4];
    const n = 24;
    const flat = Array.from({ length: k }, (_, a) =>
      Array.from({ length: n }, (_, i) => ((i * (a + 2) + a) % 5 < 2 ? 1 : 0)),
    );

    const masks = tensor(flat.flat(), [k, ...spatial], 'int32');
    const before = memory().numTensors;
    for (const scale of ['annotators', 'max'] as const) {
      const map = rewardPenaltyMapTensor(masks, { scale, penalty: -0.5 });
      expect(map.shape).toEqual(spatial);
      const expected = rewardPenaltyMap(flat, { scale, penalty: -0.5 });
      const got = map.dataSync();
      for (let i = 0; i < n; i++) expect(got[i]).toBeCloseTo(expected[i]!, 6);
      map.dispose();
    }
    expect(memory().numTensors).toBe(before);
  });

  it('rejects non-binary values, NaN, rank 1, K = 0 and a non-negative penalty', () => {
    expect(() => rewardPenaltyMapTensor(tensor([[0, 2]]))).toThrow(/binary/);
    expect(() => rewardPenaltyMapTensor(tensor([[0, Number.NaN]]))).toThrow(/binary/);
    expect(() => rewardPenaltyMapTensor(tensor1d([1, 0]))).toThrow(/\[K, \.\.\.spatial\]/);
    expect(() => rewardPenaltyMapTensor(tensor([], [0, 2]))).toThrow(/K = 0/);
    expect(() => rewardPenaltyMapTensor(tensor([[1]]), { penalty: 0 })).toThrow(/penalty/);
  });
});

describe('referenceTargetTensor', () => {
  it('agrees with referenceTarget', () => {
    const masks = [
      [1, 1, 1, 0, 0, 0],
      [1, 1, 0, 0, 1, 0],
      [1, 0, 0, 0, 1, 0],
    ];
    const counts = countAnnotations(masks);
    const options = { penalty: -7, divisor: 6 };
    const got = referenceTargetTensor(tensor1d(masks[0]!), tensor1d(Array.from(counts)), options);
    expect(Array.from(got.dataSync())).toEqual(
      Array.from(referenceTarget(masks[0]!, counts, options)),
    );
  });

  it('rejects inconsistent counts, shapes and options', () => {
    const o = { penalty: -7, divisor: 7 };
    expect(() => referenceTargetTensor(tensor1d([1]), tensor1d([0]), o)).toThrow(/count ≥ 1/);
    expect(() => referenceTargetTensor(tensor1d([0]), tensor1d([0.5]), o)).toThrow(/integers/);
    expect(() => referenceTargetTensor(tensor1d([0]), tensor1d([-1]), o)).toThrow(/non-negative/);
    expect(() => referenceTargetTensor(tensor1d([3]), tensor1d([3]), o)).toThrow(/binary/);
    expect(() => referenceTargetTensor(tensor1d([0, 1]), tensor1d([1]), o)).toThrow(/shape/);
    expect(() =>
      referenceTargetTensor(tensor1d([1]), tensor1d([1]), { penalty: -7, divisor: -1 }),
    ).toThrow(/divisor/);
  });
});
