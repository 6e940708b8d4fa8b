// Training-step time of the product's networks on tfjs (cpu backend + native kernels) and of
// their PyTorch twins (bench/torch_twins.py), side by side in one run:
//   pnpm --filter @rpdl/cpu-kernels bench                         (every case; a few minutes)
//   pnpm --filter @rpdl/cpu-kernels bench -- --cases unet3d,quick --seconds 10
//   pnpm --filter @rpdl/cpu-kernels bench -- --cases unet3d,quick --stock
// --cases picks cases whose label contains one of the words; --seconds bounds each timing;
// --stock also times the stock tfjs kernels (one step after one warm-up: minutes at 64³).
import '@tensorflow/tfjs-backend-cpu';
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { engine, setBackend } from '@tensorflow/tfjs-core';
import { registerCpuKernels, unregisterCpuKernels } from '../src/index.js';
import { loadNativeAddon } from '../src/native-binding.js';
import { productStep, STEP_CASES, type StepCase, trainableParams } from './product-step.js';

const PYTHON = process.env.RPDL_BENCH_PYTHON ?? '/usr/bin/python3';

function parseArgs(argv: string[]): { cases: StepCase[]; seconds: number; stock: boolean } {
  let cases = [...STEP_CASES];
  let seconds = 15;
  let stock = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--') continue;
    if (flag === '--stock') {
      stock = true;
      continue;
    }
    const value = argv[++i];
    if (flag === '--cases') {
      const words = (value ?? '').split(',').filter((w) => w.length > 0);
      cases = STEP_CASES.filter((c) => words.some((w) => c.label.includes(w)));
      if (cases.length === 0) {
        throw new Error(
          `--cases ${value} matches no case; labels: ${STEP_CASES.map((c) => c.label).join('; ')}`,
        );
      }
    } else if (flag === '--seconds') {
      seconds = Number(value);
      if (!(seconds > 0)) throw new Error(`--seconds must be a positive number, got ${value}`);
    } else {
      throw new Error(`unknown argument ${flag}; expected --cases words, --seconds n or --stock`);
    }
  }
  return { cases, seconds, stock };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Median seconds per step after two warm-up steps (the first builds every primitive). */
function timeSteps(step: () => number, seconds: number, maxSteps: number): number[] {
  step();
  step();
  const runs: number[] = [];
  const start = performance.now();
  while (runs.length < maxSteps && (runs.length < 3 || performance.now() - start < seconds * 1e3)) {
    const t0 = performance.now();
    const loss = step();
    if (!Number.isFinite(loss)) throw new Error(`the loss is ${loss}`);
    runs.push((performance.now() - t0) / 1e3);
  }
  return runs;
}

/** Whether the PyTorch twin can run; otherwise why not. */
function torchAvailable(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.error) return `${PYTHON} not found`;
  if (probe.status !== 0)
    return `${PYTHON} cannot import torch (Debian: apt-get install python3-torch)`;
  return undefined;
}

interface TorchResult {
  params: number;
  threads: number;
  steps: number;
  secondsPerSample: number;
}

function runTwin(c: StepCase, params: number, threads: number, seconds: number): TorchResult {
  const script = fileURLToPath(new URL('./torch_twins.py', import.meta.url));
  const args = [
    script,
    ...['--model', c.model, '--size', c.size, '--batch', c.batch, '--base', c.baseFilters],
    ...['--depth', c.depth, '--dropout', c.dropout, '--latent', c.latent ?? 128],
    ...['--threads', threads, '--seconds', seconds, '--expect-params', params],
  ].map(String);
  const child = spawnSync(PYTHON, args, { encoding: 'utf8', maxBuffer: 1 << 22 });
  const line = child.stdout?.split('\n').find((l) => l.startsWith('{'));
  if (child.status !== 0 || line === undefined) {
    throw new Error(`PyTorch twin of ${c.label} failed (exit ${child.status}): ${child.stderr}`);
  }
  return JSON.parse(line) as TorchResult;
}

const { cases, seconds, stock } = parseArgs(process.argv.slice(2));
await setBackend('cpu');
// The stock backend's install-tfjs-node banner would land in the table.
(engine().backend as { firstUse?: boolean }).firstUse = false;
const status = registerCpuKernels();
const addon = loadNativeAddon().addon;
const threads = addon?.threads() ?? 1;
const torchMissing = torchAvailable();
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(
  `tfjs cpu backend, ${status.available ? `native kernels (oneDNN ${status.onednnVersion}, ${threads} OpenMP threads)` : `STOCK kernels: ${status.reason}`}; ${availableParallelism()} CPUs; Node ${process.version}`,
);
console.log(
  torchMissing
    ? `PyTorch twins skipped: ${torchMissing}`
    : `PyTorch twins: ${PYTHON}, ${threads} threads`,
);
console.log(
  `Training step = forward + RPDL (+ VAE terms) + backward + Adam; medians over ≥ ${seconds} s each.`,
);
console.log(`load average at start: ${load()}\n`);

interface Row {
  label: string;
  params: number;
  tfjs: number;
  torch?: number;
  stock?: number;
}
const rows: Row[] = [];
for (const c of cases) {
  const { net, step } = productStep(c);
  const params = trainableParams(net);
  const tfjs = median(timeSteps(step, seconds, 200)) / c.batch;
  const row: Row = { label: c.label, params, tfjs };
  if (stock) {
    unregisterCpuKernels();
    step();
    const t0 = performance.now();
    step();
    row.stock = (performance.now() - t0) / 1e3 / c.batch;
    registerCpuKernels();
  }
  net.dispose();
  if (!torchMissing) {
    const twin = runTwin(c, params, threads, seconds);
    row.torch = twin.secondsPerSample;
  }
  rows.push(row);
  process.stderr.write(`done: ${c.label} (load ${load()})\n`);
}

console.log(
  `| model | trainable params | tfjs-native s/sample | PyTorch s/sample | ratio (tfjs / PyTorch) | tfjs samples/s |${stock ? ' stock tfjs s/sample | stock / native |' : ''}`,
);
console.log(`|---|---:|---:|---:|---:|---:|${stock ? '---:|---:|' : ''}`);
for (const r of rows) {
  const torch = r.torch === undefined ? '—' : r.torch.toFixed(4);
  const ratio = r.torch === undefined ? '—' : `${(r.tfjs / r.torch).toFixed(2)}×`;
  console.log(
    `| ${r.label} | ${r.params.toLocaleString('en-US')} | ${r.tfjs.toFixed(4)} | ${torch} | ${ratio} | ${(1 / r.tfjs).toFixed(1)} |${r.stock === undefined ? '' : ` ${r.stock.toFixed(2)} | ${(r.stock / r.tfjs).toFixed(0)}× |`}`,
  );
}
console.log(`\nload average at end: ${load()}`);
