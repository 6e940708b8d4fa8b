// Where one training step of a product network spends its time, per tfjs kernel:
//   pnpm --filter @rpdl/cpu-kernels bench:profile [-- --case unet3d] [--stock]
// --case picks the first benchmark case whose label contains the word (default: unet3d 64³);
// --stock profiles the stock tfjs kernels instead of the native ones.
import '@tensorflow/tfjs-backend-cpu';
import { engine, profile, setBackend } from '@tensorflow/tfjs-core';
import { registerCpuKernels } from '../src/index.js';
import { productStep, STEP_CASES } from './product-step.js';

const argv = process.argv.slice(2).filter((a) => a !== '--');
const word = argv.includes('--case') ? argv[argv.indexOf('--case') + 1] : 'unet3d';
const stock = argv.includes('--stock');
const c = STEP_CASES.find((s) => s.label.includes(word ?? ''));
if (!c)
  throw new Error(`--case ${word} matches none of: ${STEP_CASES.map((s) => s.label).join('; ')}`);
await setBackend('cpu');
(engine().backend as { firstUse?: boolean }).firstUse = false;
if (!stock) {
  const status = registerCpuKernels();
  if (!status.available) throw new Error(`native kernels unavailable: ${status.reason}`);
}
const { step } = productStep(c);
step();
step();
const t0 = performance.now();
step();
const plain = performance.now() - t0;
const t1 = performance.now();
const info = await profile(step);
const wall = performance.now() - t1;
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
  `${stock ? 'stock' : 'native'} ${c.label}: step ${plain.toFixed(0)} ms unprofiled, ${wall.toFixed(0)} ms profiled; kernels ${total.toFixed(0)} ms in ${info.kernels.length} calls; outside kernels ${(plain - total).toFixed(0)} ms`,
);
console.log('| kernel | ms | share of kernel time | calls |');
console.log('|---|---:|---:|---:|');
for (const [name, e] of rows.slice(0, 30)) {
  console.log(
    `| ${name} | ${e.ms.toFixed(1)} | ${((100 * e.ms) / total).toFixed(1)}% | ${e.calls} |`,
  );
}
