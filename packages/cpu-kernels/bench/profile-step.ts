// Prints where a U-net training step spends its time, per tfjs kernel:
//   tsx bench/profile-step.ts [size] [native|stock]
import '@tensorflow/tfjs-backend-cpu';
import { profile, randomUniform, setBackend, tidy, variableGrads } from '@tensorflow/tfjs-core';
import { registerCpuKernels } from '../src/index.js';
import { buildUnet, unetLoss } from './unet-model.js';

const size = Number(process.argv[2] ?? 32);
const mode = process.argv[3] ?? 'native';
await setBackend('cpu');
if (mode === 'native') console.log(registerCpuKernels());
const net = buildUnet({ size, baseFilters: 4, depth: 5, seed: 1 });
const x = randomUniform([2, size, size, size, 1], 0, 1, 'float32', 3);
const y = randomUniform([2, size, size, size, 1], 0, 1, 'float32', 4);
const step = () =>
  tidy(() => {
    const { value, grads } = variableGrads(() => unetLoss(net, x, y));
    value.dataSync();
    for (const g of Object.values(grads)) g.dataSync();
  });
step();
const t0 = performance.now();
const info = await profile(step);
const wall = performance.now() - t0;
const byKernel = new Map<string, { ms: number; calls: number }>();
for (const k of info.kernels) {
  const entry = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
  entry.ms += (await k.kernelTimeMs) as number;
  entry.calls += 1;
  byKernel.set(k.name, entry);
}
const rows = [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms);
const total = rows.reduce((s, [, e]) => s + e.ms, 0);
console.log(
  `${mode} ${size}³ batch 2: wall ${wall.toFixed(0)} ms (profiled), kernels ${total.toFixed(0)} ms`,
);
for (const [name, e] of rows.slice(0, 25)) {
  console.log(
    `${name.padEnd(24)} ${e.ms.toFixed(1).padStart(9)} ms ${((100 * e.ms) / total).toFixed(1).padStart(5)}% ${String(e.calls).padStart(5)} calls`,
  );
}
