import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import type { ExampleResult } from './run.js';

/**
 * What every example's smoke test checks: the metrics are finite and within [0, 1], and the
 * panel is a PNG of three square tiles. Throws with the offending value otherwise.
 *
 * @example
 * checkSmokeResult(await runExample(definition, settings));
 */
export function checkSmokeResult(result: ExampleResult): { width: number; height: number } {
  const values: Array<[string, number]> = [
    ['Dice mean', result.dice.mean],
    ['Dice std', result.dice.std],
    ['RPD mean', result.rpd.mean],
    ['RPD std', result.rpd.std],
    ['surgeon Dice mean', result.surgeonDice.mean],
    ...result.perSurgeon.flatMap(
      (s, i): Array<[string, number]> => [
        [`Dice of surgeon ${i}`, s.dice],
        [`RPD of surgeon ${i}`, s.rpd],
      ],
    ),
  ];
  for (const [what, value] of values) {
    if (!(Number.isFinite(value) && value >= 0 && value <= 1)) {
      throw new Error(`${what} = ${value}, expected a finite number in [0, 1]`);
    }
  }
  if (!Number.isFinite(result.lastLoss)) throw new Error(`last loss = ${result.lastLoss}`);
  const png = PNG.sync.read(readFileSync(result.panel.path));
  const tile = png.height;
  if (png.width !== 3 * tile + 8) {
    throw new Error(`panel is ${png.width}×${png.height}, expected three ${tile}-px tiles`);
  }
  return { width: png.width, height: png.height };
}
