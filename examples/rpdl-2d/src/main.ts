import '@tensorflow/tfjs-backend-cpu';
import { UsageError } from '@rpdl/example-cli-flags';
import { setBackend } from '@tensorflow/tfjs-core';
import { parseFlags, USAGE } from './flags.js';
import { resultTable, runRpdl2d } from './run.js';

let options: ReturnType<typeof parseFlags>;
try {
  options = parseFlags(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`rpdl-2d: ${error.message}\n\n${USAGE}\n`);
  process.exit(2);
}
if (options === undefined) {
  process.stdout.write(`${USAGE}\n`);
} else {
  await setBackend('cpu');
  const started = performance.now();
  const result = await runRpdl2d(options, (line) => process.stdout.write(`${line}\n`));
  process.stdout.write(
    `\nheld-out images (P̄ @c/K: mean predicted probability over pixels c of the K annotators marked)\n` +
      `${resultTable(result)}\n` +
      `annotators' own mean pairwise Dice: ${result.annotatorDice.toFixed(3)}\n` +
      `total ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
}
