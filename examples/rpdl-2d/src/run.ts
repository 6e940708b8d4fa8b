import { dispose } from '@tensorflow/tfjs-core';
import { annotatorAgreement, type Evaluation, evaluate } from './evaluate.js';
import type { Rpdl2dOptions } from './flags.js';
import { tinySegmenter } from './model.js';
import { trainingRows } from './rows.js';
import { simulateAnnotatedImages } from './simulate.js';
import {
  type ExampleLoss,
  trainWithCustomLoop,
  trainWithFit,
  trainWithFitDataset,
} from './train.js';

export interface TrainedVariant extends Evaluation {
  loss: ExampleLoss;
  route: 'custom loop' | 'compile/fit' | 'compile/fitDataset';
  /** Mean training loss of the last epoch. */
  finalLoss: number;
  seconds: number;
}

export interface Rpdl2dResult {
  options: Rpdl2dOptions;
  /** Mean pairwise Dice between annotators on the held-out images. */
  annotatorDice: number;
  variants: TrainedVariant[];
}

/**
 * The whole example: simulate annotated images, train the same tiny net six ways (WCEL, Dice
 * loss and RPDL in a custom loop; RPDL through compile/fit and compile/fitDataset; the
 * authors'-code RPDL in a custom loop), and score each on held-out images. `log` receives progress lines.
 *
 * @example
 * const result = await runRpdl2d(SMOKE, console.log);
 */
export async function runRpdl2d(
  options: Rpdl2dOptions,
  log: (line: string) => void = () => {},
): Promise<Rpdl2dResult> {
  const { images, annotators, size, seed } = options;
  const heldOut = Math.max(2, Math.round(images / 4));
  const trainSet = simulateAnnotatedImages({ images, size, annotators, seed });
  const testSet = simulateAnnotatedImages({ images: heldOut, size, annotators, seed: seed + 1 });
  log(
    `${images} training images × ${annotators} annotators, ${heldOut} held-out images, ` +
      `${size}×${size} px, seed ${seed}`,
  );
  const annotatorDice = annotatorAgreement(testSet);
  log(`annotators' mean pairwise Dice on the held-out images: ${annotatorDice.toFixed(3)}`);

  const rows = trainingRows(trainSet);
  const training = {
    epochs: options.epochs,
    batchSize: options.batchSize,
    learningRate: options.learningRate,
    seed,
  };
  const plan: Array<[ExampleLoss, TrainedVariant['route']]> = [
    ['wcel', 'custom loop'],
    ['dl', 'custom loop'],
    ['rpdl', 'custom loop'],
    ['rpdl', 'compile/fit'],
    ['rpdl', 'compile/fitDataset'],
    ['rpdl-ref', 'custom loop'],
  ];
  const variants: TrainedVariant[] = [];
  try {
    for (const [loss, route] of plan) {
      const started = performance.now();
      // Same seed, same initial weights: the loss is the only difference.
      const model = tinySegmenter(size, seed);
      const history =
        route === 'custom loop'
          ? await trainWithCustomLoop(model, rows, loss, training)
          : route === 'compile/fit'
            ? await trainWithFit(model, rows, training)
            : await trainWithFitDataset(model, rows, training);
      const scores = evaluate(model, testSet);
      model.dispose();
      const seconds = (performance.now() - started) / 1000;
      const variant = { loss, route, finalLoss: history.at(-1) ?? Number.NaN, seconds, ...scores };
      variants.push(variant);
      log(
        `${loss.padEnd(8)} ${route.padEnd(18)} loss ${variant.finalLoss.toFixed(4)}  ` +
          `Dice ${scores.dice.toFixed(3)}  RPD ${scores.rpd.toFixed(3)}  (${seconds.toFixed(1)} s)`,
      );
    }
  } finally {
    dispose([rows.x, rows.y, rows.map, rows.target]);
  }
  return { options, annotatorDice, variants };
}

/**
 * The results as a Markdown table, one row per trained variant.
 *
 * @example
 * console.log(resultTable(await runRpdl2d(SMOKE)));
 */
export function resultTable(result: Rpdl2dResult): string {
  const k = result.options.annotators;
  const countHeader = Array.from({ length: k + 1 }, (_, c) => `P̄ @${c}/${k}`).join(' | ');
  const lines = [
    `| loss | training route | Dice | RPD | ${countHeader} |`,
    `|---|---|---|---|${'---|'.repeat(k + 1)}`,
  ];
  for (const v of result.variants) {
    const profile = v.meanProbability.map((p) => p.toFixed(2)).join(' | ');
    lines.push(
      `| ${v.loss} | ${v.route} | ${v.dice.toFixed(3)} | ${v.rpd.toFixed(3)} | ${profile} |`,
    );
  }
  return lines.join('\n');
}
