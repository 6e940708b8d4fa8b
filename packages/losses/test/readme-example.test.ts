// The README's 2D usage example, run as written so the documentation cannot drift from the code.
import '@tensorflow/tfjs-backend-cpu';
import { diceCoefficient, rewardPenaltyDice, rewardPenaltyDiceLoss } from '@rpdl/losses';
import { rewardPenaltyMap } from '@rpdl/rpmap';
import * as tf from '@tensorflow/tfjs-core';
import { layers, sequential } from '@tensorflow/tfjs-layers'; // also registers op gradients
import { expect, it } from 'vitest';

it('README 2D example trains and scores', async () => {
  // --- README snippet start ---
  await tf.setBackend('cpu');

  // One 16×16 image annotated by three people who roughly agree on a square.
  const H = 16;
  const W = 16;
  const square = (top: number, left: number) =>
    Array.from({ length: H * W }, (_, i) => {
      const r = Math.floor(i / W);
      const c = i % W;
      return r >= top && r < top + 6 && c >= left && c < left + 6 ? 1 : 0;
    });
  const masks = [square(5, 5), square(5, 6), square(6, 5)];
  const map = rewardPenaltyMap(masks); // counts / 3; −1 where nobody marked (paper Fig. 2)

  // The batch holds one row per annotation of the image, each with the image's map.
  const image = map.map((v) => Math.max(v, 0)); // a toy input: the agreement itself
  const x = tf.tensor4d(
    masks.flatMap(() => Array.from(image)),
    [3, H, W, 1],
  );
  const y = tf.tensor4d(masks.flat(), [3, H, W, 1]);
  const m = tf.tensor4d(
    masks.flatMap(() => Array.from(map)),
    [3, H, W, 1],
  );

  const model = sequential({
    layers: [
      layers.conv2d({
        inputShape: [H, W, 1],
        filters: 1,
        kernelSize: 3,
        padding: 'same',
        activation: 'sigmoid',
      }),
    ],
  });
  const optimizer = tf.train.adam(0.05);
  for (let step = 0; step < 100; step++) {
    optimizer.minimize(() => rewardPenaltyDiceLoss(y, model.apply(x) as tf.Tensor, m));
  }
  const p = model.predict(x) as tf.Tensor;
  const dice = diceCoefficient(y, p).dataSync()[0]!; // Eq. 5, against every annotation
  const rpd = rewardPenaltyDice(y, p, m).dataSync()[0]!; // Eq. 6
  console.log(`Dice ${dice.toFixed(3)}, RPD ${rpd.toFixed(3)}`);
  // --- README snippet end ---
  expect(dice).toBeGreaterThan(0.7);
  expect(rpd).toBeGreaterThan(0.7);
});
