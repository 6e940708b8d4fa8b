import '@tensorflow/tfjs-backend-cpu';
import { normalizeInput } from '@rpdl/cm-dataset';
import { UsageError } from '@rpdl/example-cli-flags';
import type { MeanStd } from '@rpdl/losses/metrics';
import type { SegmentationNetwork } from '@rpdl/models-3d';
import { getBackend, memory, setBackend, tensor5d, tidy } from '@tensorflow/tfjs-core';
import { type BoneScores, scoreHeldOutBone, surgeonAgreement } from './evaluate.js';
import { type ExampleDefaults, type ExampleSettings, parseExampleFlags, usage } from './flags.js';
import { phantomFold } from './fold.js';
import { useNativeKernels } from './kernels.js';
import { writePanel } from './panel.js';
import { trainOnFold } from './train.js';

/** One 3D example: its name, its defaults and how it builds its network. */
export interface ExampleDefinition {
  name: string;
  defaults: ExampleDefaults;
  build(settings: ExampleSettings): SegmentationNetwork;
}

export interface ExampleResult extends BoneScores {
  settings: ExampleSettings;
  /** The held-out bone's surgeons against one another (Dice over ordered pairs). */
  surgeonDice: MeanStd;
  parameters: number;
  /** Training loss of the first and last step. */
  firstLoss: number;
  lastLoss: number;
  trainingSeconds: number;
  totalSeconds: number;
  panel: { path: string; slice: number };
  kernels: string;
}

/**
 * Runs one example end to end: phantom → leave-one-bone-out fold → build → train → predict the
 * held-out bone → Dice and RPD against each of its surgeons → PNG slice panel. `log` receives
 * the progress lines the command prints.
 *
 * @example
 * const result = await runExample(definition, definition.defaults.smoke, console.log);
 */
export async function runExample(
  definition: ExampleDefinition,
  requested: ExampleSettings,
  log: (line: string) => void = () => {},
): Promise<ExampleResult> {
  const started = performance.now();
  if (getBackend() !== 'cpu') await setBackend('cpu');
  const kernels = await useNativeKernels(requested.nativeKernels);
  const settings = kernels.native ? requested : { ...requested, steps: requested.stockSteps };
  const { size, bones, surgeons, heldOutBone } = settings;
  const fold = phantomFold(settings);
  log(
    `${definition.name}: phantom ${size}³, ${bones} bones × ${surgeons} surgeons (seed ${settings.seed}); ` +
      `bone ${heldOutBone} held out, ${fold.trainRows.length} training surgeries`,
  );
  log(`kernels: ${kernels.note}`);
  let network: SegmentationNetwork;
  try {
    network = definition.build(settings);
  } catch (error) {
    // The models reject sizes they cannot halve often enough, filters group norm cannot split…
    if (error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }
  try {
    const parameters = network.model.countParams();
    log(
      `model: ${definition.name}, ${settings.baseFilters} base filters, depth ${settings.depth}, ` +
        `${parameters} parameters; loss ${settings.loss}; ${settings.steps} Adam steps of ` +
        `batch ${settings.batchSize}, learning rate ${settings.learningRate}`,
    );
    const training = await trainOnFold(network, fold, settings, log);

    const probabilities = tidy(() => {
      const input = normalizeInput(fold.dataset.inputs[heldOutBone]!);
      const x = tensor5d(input, [1, size, size, size, 1]);
      return network.segment(x).dataSync() as Float32Array;
    });
    const scores = scoreHeldOutBone(probabilities, fold.heldOutMasks, fold.heldOutMap);
    const surgeonDice = surgeonAgreement(fold.heldOutMasks);
    const slice = await writePanel(settings.out, {
      size,
      labels: fold.dataset.inputs[heldOutBone]!,
      counts: fold.heldOutCounts,
      surgeons: fold.heldOutMasks.length,
      probabilities,
    });
    return {
      ...scores,
      settings,
      surgeonDice,
      parameters,
      firstLoss: training.losses[0] ?? Number.NaN,
      lastLoss: training.losses.at(-1) ?? Number.NaN,
      trainingSeconds: training.seconds,
      totalSeconds: (performance.now() - started) / 1000,
      panel: { path: settings.out, slice },
      kernels: kernels.note,
    };
  } finally {
    network.model.dispose();
  }
}

/**
 * The lines a run ends with: Dice and RPD on the held-out bone, the surgeons' own agreement and
 * where the panel went.
 *
 * @example
 * console.log(resultLines(result).join('\n'));
 */
export function resultLines(result: ExampleResult): string[] {
  const f = (s: MeanStd) => `${s.mean.toFixed(3)} ± ${s.std.toFixed(3)}`;
  const { settings } = result;
  return [
    `held-out bone ${settings.heldOutBone}, prediction against each of its ${result.perSurgeon.length} surgeons (threshold 0.5):`,
    `  Dice ${f(result.dice)}`,
    `  RPD  ${f(result.rpd)}`,
    `  surgeons against one another: Dice ${f(result.surgeonDice)}`,
    `panel: ${result.panel.path} (axial slice ${result.panel.slice}: input labels | surgeons' regions, brighter = more surgeons | prediction, white edge = above 0.5)`,
    `time: ${result.trainingSeconds.toFixed(1)} s training, ${result.totalSeconds.toFixed(1)} s total`,
  ];
}

/**
 * The `pnpm start` entry of a 3D example: parses `argv`, prints usage on `--help` or a bad
 * flag (exit code 2), otherwise runs and prints the results.
 *
 * @example
 * await runExampleCli(definition, process.argv.slice(2));
 */
export async function runExampleCli(
  definition: ExampleDefinition,
  argv: readonly string[],
): Promise<ExampleResult | undefined> {
  let settings: ExampleSettings | undefined;
  try {
    settings = parseExampleFlags(argv, definition.defaults);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(
      `${definition.name}: ${error.message}\n\n${usage(definition.name, definition.defaults)}\n`,
    );
    process.exitCode = 2;
    return undefined;
  }
  if (settings === undefined) {
    process.stdout.write(`${usage(definition.name, definition.defaults)}\n`);
    return undefined;
  }
  const print = (line: string) => process.stdout.write(`${line}\n`);
  let result: ExampleResult;
  try {
    result = await runExample(definition, settings, print);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${definition.name}: ${error.message}\n`);
    process.exitCode = 2;
    return undefined;
  }
  for (const line of resultLines(result)) print(line);
  print(`tensors still allocated: ${memory().numTensors}`);
  return result;
}
