/**
 * Time and peak memory of one training step per model at 64³, batch 2, on the stock tfjs cpu
 * backend. Each model runs in its own child process so that the peak resident set size is that
 * model's alone.
 *
 *   pnpm --filter @rpdl/models-3d bench                       # all four (Myronenko18 at base 8)
 *   pnpm --filter @rpdl/models-3d bench -- --models unet3d --steps 1
 *   pnpm --filter @rpdl/models-3d bench -- --myronenko-base 32
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import '@tensorflow/tfjs-backend-cpu';
import {
  add,
  cast,
  clipByValue,
  greater,
  log,
  mean,
  memory,
  mul,
  profile,
  randomUniform,
  type Scalar,
  setBackend,
  sub,
  type Tensor,
  tidy,
  train,
} from '@tensorflow/tfjs-core';
import { buildModel, MODEL_NAMES, type ModelName, myronenko2018Loss } from '../src/index.js';

interface Settings {
  models: ModelName[];
  steps: number;
  batch: number;
  size: number;
  myronenkoBase: number;
}

interface Result {
  model: string;
  params: number;
  stepSeconds: number[];
  peakTensorMiB: number;
  maxRssMiB: number;
}

function parseArgs(argv: string[]): Settings & { child: boolean } {
  const settings = {
    models: [...MODEL_NAMES],
    steps: 2,
    batch: 2,
    size: 64,
    myronenkoBase: 8,
    child: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const int = (what: string) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1)
        throw new Error(`${what} must be a positive integer, got ${value}`);
      i++;
      return n;
    };
    if (flag === '--') continue;
    else if (flag === '--child') settings.child = true;
    else if (flag === '--models') {
      const names = (value ?? '').split(',');
      for (const n of names) {
        if (!MODEL_NAMES.includes(n as ModelName)) {
          throw new Error(
            `--models: unknown model ${n}; expected some of ${MODEL_NAMES.join(',')}`,
          );
        }
      }
      settings.models = names as ModelName[];
      i++;
    } else if (flag === '--steps') settings.steps = int('--steps');
    else if (flag === '--batch') settings.batch = int('--batch');
    else if (flag === '--size') settings.size = int('--size');
    else if (flag === '--myronenko-base') settings.myronenkoBase = int('--myronenko-base');
    else throw new Error(`unknown argument ${flag}`);
  }
  return settings;
}

function binaryCrossEntropy(target: Tensor, p: Tensor): Scalar {
  const q = clipByValue(p, 1e-6, 1 - 1e-6);
  return mul(mean(add(mul(target, log(q)), mul(sub(1, target), log(sub(1, q))))), -1) as Scalar;
}

async function runOne(name: ModelName, s: Settings): Promise<Result> {
  await setBackend('cpu');
  const shape: [number, number, number, number] = [s.size, s.size, s.size, 1];
  const model =
    name === 'myronenko2018'
      ? buildModel(name, { inputShape: shape, baseFilters: s.myronenkoBase, seed: 1 })
      : buildModel(name, { inputShape: shape, seed: 1 });
  const x = randomUniform([s.batch, ...shape], -1, 1, 'float32', 2);
  const y = tidy(() => cast(greater(x, 0), 'float32'));
  const optimizer = train.adam(1e-4);
  const loss = (): Scalar => {
    const out = model.apply(x, { training: true });
    if (!Array.isArray(out)) return binaryCrossEntropy(y, out as Tensor);
    const [seg, reconstruction, zMean, zLogVar] = out as Tensor[];
    return myronenko2018Loss({
      segmentationLoss: binaryCrossEntropy(y, seg as Tensor),
      input: x,
      reconstruction: reconstruction as Tensor,
      zMean: zMean as Tensor,
      zLogVar: zLogVar as Tensor,
    });
  };
  const step = () => {
    const value = optimizer.minimize(loss, true);
    value?.dataSync();
    value?.dispose();
  };
  const stepSeconds: number[] = [];
  let peakBytes = 0;
  for (let i = 0; i < s.steps; i++) {
    const start = performance.now();
    if (i === 0) {
      // tf.profile tracks the largest number of live tensor bytes during the step.
      const info = await profile(step);
      peakBytes = info.peakBytes;
    } else {
      step();
    }
    stepSeconds.push((performance.now() - start) / 1000);
  }
  const label = name === 'myronenko2018' ? `${name} (base ${s.myronenkoBase})` : name;
  const result: Result = {
    model: label,
    params: model.countParams(),
    stepSeconds,
    peakTensorMiB: Math.max(peakBytes, memory().numBytes) / 2 ** 20,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  };
  return result;
}

const settings = parseArgs(process.argv.slice(2));
if (settings.child) {
  const name = settings.models[0] as ModelName;
  process.stdout.write(`RESULT ${JSON.stringify(await runOne(name, settings))}\n`);
} else {
  const script = fileURLToPath(import.meta.url);
  const passOn = [
    '--steps',
    settings.steps,
    '--batch',
    settings.batch,
    '--size',
    settings.size,
    '--myronenko-base',
    settings.myronenkoBase,
  ].map(String);
  const rows: Result[] = [];
  for (const name of settings.models) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, script, '--child', '--models', name, ...passOn],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
      },
    );
    const line = child.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (child.status !== 0 || line === undefined) {
      throw new Error(`benchmark of ${name} failed (exit ${child.status}):\n${child.stderr}`);
    }
    rows.push(JSON.parse(line.slice('RESULT '.length)) as Result);
    process.stderr.write(`done: ${name}\n`);
  }
  const { size, batch } = settings;
  console.log(
    `One training step (Adam, forward + backward + update), ${size}³ × 1 channel, batch ${batch}, tfjs ${'cpu'} backend`,
  );
  console.log(
    '| model | parameters | ' +
      rows[0]?.stepSeconds.map((_, i) => `step ${i + 1} (s)`).join(' | ') +
      ' | peak tensor memory (MiB) | peak RSS (MiB) |',
  );
  console.log('|---|---:|' + rows[0]?.stepSeconds.map(() => '---:').join('|') + '|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${r.model} | ${r.params.toLocaleString('en-US')} | ${r.stepSeconds.map((t) => t.toFixed(1)).join(' | ')} | ${r.peakTensorMiB.toFixed(0)} | ${r.maxRssMiB.toFixed(0)} |`,
    );
  }
}
