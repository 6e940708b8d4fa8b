// The up-sampling and fused Adam kernels against the tfjs-ops paths they replace, side by side
// in one process (alternating, medians):
//   pnpm --filter @rpdl/cpu-kernels bench:fused
import '@tensorflow/tfjs-backend-cpu';
import { loadavg } from 'node:os';
import { upSampling3d } from '@rpdl/models-3d';
import { Adam } from '@rpdl/training';
import {
  engine,
  getKernel,
  grad,
  type KernelConfig,
  mul,
  randomNormal,
  registerKernel,
  setBackend,
  sum,
  type Tensor,
  tidy,
  unregisterKernel,
  type Variable,
  variable,
} from '@tensorflow/tfjs-core';
import {
  ADAM_UPDATE_KERNEL,
  registerCpuKernels,
  UP_SAMPLING_3D_GRAD_KERNEL,
  UP_SAMPLING_3D_KERNEL,
} from '../src/index.js';

await setBackend('cpu');
(engine().backend as { firstUse?: boolean }).firstUse = false;
const status = registerCpuKernels();
if (!status.available) throw new Error(`native kernels unavailable: ${status.reason}`);

// Removing the added kernels sends the layer and Adam down their tfjs-ops paths.
const ADDED = [UP_SAMPLING_3D_KERNEL, UP_SAMPLING_3D_GRAD_KERNEL, ADAM_UPDATE_KERNEL];
const configs = ADDED.map((name) => getKernel(name, 'cpu') as KernelConfig);
const withoutAdded = (fn: () => void) => {
  for (const name of ADDED) unregisterKernel(name, 'cpu');
  try {
    fn();
  } finally {
    for (const config of configs) registerKernel(config);
  }
};

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const elapsed = (fn: () => void) => {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
};

function compare(label: string, fn: () => void, runs: number): void {
  withoutAdded(fn);
  fn();
  const ops: number[] = [];
  const fused: number[] = [];
  for (let i = 0; i < runs; i++) {
    withoutAdded(() => ops.push(elapsed(fn)));
    fused.push(elapsed(fn));
  }
  const [o, f] = [median(ops), median(fused)];
  console.log(`| ${label} | ${o.toFixed(1)} | ${f.toFixed(1)} | ${(o / f).toFixed(1)}× |`);
}

console.log(
  `load average at start: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log('| what | tfjs ops ms | fused kernel ms | speed-up |');
console.log('|---|---:|---:|---:|');
for (const shape of [
  [2, 32, 32, 32, 8],
  [1, 32, 32, 32, 32],
]) {
  const [b, d, h, w, c] = shape as [number, number, number, number, number];
  const x = randomNormal(shape);
  const weights = randomNormal([b, 2 * d, 2 * h, 2 * w, c]);
  const layer = upSampling3d({ size: 2 });
  compare(
    `UpSampling3D ×2 forward, [${shape}]`,
    () => tidy(() => void (layer.apply(x) as Tensor).dataSync()),
    15,
  );
  compare(
    `UpSampling3D ×2 forward + backward of Σ w·y, [${shape}]`,
    () =>
      tidy(
        () => void grad((t: Tensor) => sum(mul(layer.apply(t) as Tensor, weights)))(x).dataSync(),
      ),
    15,
  );
}
// Myronenko18's largest 3×3×3 filters, 6.7 M parameters.
const filterShapes = [
  [256, 256],
  [256, 256],
  [128, 256],
  [128, 128],
  [128, 128],
  [128, 128],
  [128, 128],
  [64, 128],
  [64, 64],
  [64, 64],
  [64, 64],
].map(([i, o]) => [3, 3, 3, i as number, o as number]);
const vars: Variable[] = filterShapes.map((s) => variable(randomNormal(s)));
const grads = vars.map((v) => randomNormal(v.shape));
const adam = new Adam(vars, { learningRate: 1e-4 });
const parameters = vars.reduce((n, v) => n + v.size, 0);
compare(
  `Adam step (@rpdl/training), ${(parameters / 1e6).toFixed(1)} M parameters`,
  () => {
    adam.applyGradients(grads);
    vars[0]?.dataSync();
  },
  9,
);
console.log(
  `load average at end: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
