// Stock vs native tfjs cpu kernels, side by side in one run (about a minute):
//   pnpm --filter @rpdl/cpu-kernels bench:kernels
// Whole training steps of the product's networks: bench/training-step.ts (`bench`).
import '@tensorflow/tfjs-backend-cpu';
import { availableParallelism } from 'node:os';
import {
  engine,
  type NamedAttrMap,
  randomUniform,
  setBackend,
  type Tensor,
} from '@tensorflow/tfjs-core';
import { nativeKernelStatus, registerCpuKernels, unregisterCpuKernels } from '../src/index.js';
import { loadNativeAddon } from '../src/native-binding.js';

await setBackend('cpu');
const status = nativeKernelStatus();
if (!status.available) {
  console.error(`native kernels unavailable: ${status.reason}`);
  process.exit(1);
}
const threads = loadNativeAddon().addon?.threads();
console.log(
  `oneDNN ${status.onednnVersion}, ${threads} OpenMP threads, ${availableParallelism()} CPUs, Node ${process.version}`,
);
console.log(
  'Timings are wall-clock medians on a machine that may be shared: expect noise of 10-30%.\n',
);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Median milliseconds of `fn` after `warmUps` runs, repeating until `budgetMs` or `maxRuns`. */
function time(fn: () => void, budgetMs: number, maxRuns: number, warmUps = 1): number {
  for (let i = 0; i < warmUps; i++) fn();
  const runs: number[] = [];
  const start = performance.now();
  while (runs.length < maxRuns && (runs.length === 0 || performance.now() - start < budgetMs)) {
    const t0 = performance.now();
    fn();
    runs.push(performance.now() - t0);
  }
  return median(runs);
}

function runKernel(name: string, inputs: Record<string, Tensor>, attrs: NamedAttrMap): () => void {
  return () => {
    const out = engine().runKernel(name, inputs, attrs) as Tensor | Tensor[];
    for (const t of Array.isArray(out) ? out : [out]) {
      t.dataSync();
      t.dispose();
    }
  };
}

interface KernelInputs {
  inputs: Record<string, Tensor>;
  attrs: NamedAttrMap;
}

interface KernelCase {
  label: string;
  kernel: string;
  flops: number;
  make: () => KernelInputs;
}

function convCase(
  kernel: string,
  batch: number,
  size: number,
  inC: number,
  outC: number,
): KernelCase {
  const x = [batch, size, size, size, inC];
  const w = [3, 3, 3, inC, outC];
  const y = [batch, size, size, size, outC];
  const attrs = { strides: 1, pad: 'same', dilations: 1, dataFormat: 'NDHWC' };
  const flops = 2 * batch * size ** 3 * 27 * inC * outC;
  const label = `${kernel} ${batch}×${size}³ ${inC}→${outC} k3`;
  const make = (): KernelInputs => {
    if (kernel === 'Conv3D')
      return { inputs: { x: randomUniform(x), filter: randomUniform(w) }, attrs };
    if (kernel === 'Conv3DBackpropInputV2') {
      return {
        inputs: { dy: randomUniform(y), filter: randomUniform(w) },
        attrs: { ...attrs, inputShape: x },
      };
    }
    return {
      inputs: { x: randomUniform(x), dy: randomUniform(y) },
      attrs: { ...attrs, filterShape: w },
    };
  };
  return { label, kernel, flops, make };
}

function poolCase(kernel: string, batch: number, size: number, channels: number): KernelCase {
  const x = [batch, size, size, size, channels];
  const attrs = { filterSize: 2, strides: 2, pad: 'valid', dataFormat: 'NDHWC' };
  const outputs = batch * (size / 2) ** 3 * channels;
  return {
    label: `${kernel} ${batch}×${size}³×${channels} 2³/2`,
    kernel,
    flops: outputs * 8, // one comparison per window voxel
    make: (): KernelInputs =>
      kernel === 'MaxPool3D'
        ? { inputs: { x: randomUniform(x) }, attrs }
        : {
            inputs: {
              dy: randomUniform([batch, size / 2, size / 2, size / 2, channels]),
              input: randomUniform(x),
            },
            attrs,
          },
  };
}

/** Memory-bound kernels of the step, at the 64³ level's size; one operation per element. */
function elementwiseCases(batch: number, size: number, channels: number): KernelCase[] {
  const x = [batch, size, size, size, channels];
  const elements = batch * size ** 3 * channels;
  const at = `${batch}×${size}³×${channels}`;
  const unaryAttrs = (attrs: NamedAttrMap) => (): KernelInputs => ({
    inputs: { x: randomUniform(x, -1, 1) },
    attrs,
  });
  return [
    {
      label: `Multiply ${at} by a channel vector`,
      kernel: 'Multiply',
      flops: elements,
      make: () => ({ inputs: { a: randomUniform(x), b: randomUniform([channels]) }, attrs: {} }),
    },
    {
      label: `Add ${at} + ${at}`,
      kernel: 'Add',
      flops: elements,
      make: () => ({ inputs: { a: randomUniform(x), b: randomUniform(x) }, attrs: {} }),
    },
    {
      label: `Sum ${at} over batch and space`,
      kernel: 'Sum',
      flops: elements,
      make: unaryAttrs({ axis: [0, 1, 2, 3], keepDims: false }),
    },
    {
      label: `Mean ${at} over batch and space`,
      kernel: 'Mean',
      flops: elements,
      make: unaryAttrs({ axis: [0, 1, 2, 3], keepDims: false }),
    },
    {
      label: `LeakyRelu ${at}`,
      kernel: 'LeakyRelu',
      flops: elements,
      make: unaryAttrs({ alpha: 0.3 }),
    },
    {
      label: `SplitV ${batch}×${size}³×${2 * channels} into 2 on channels`,
      kernel: 'SplitV',
      flops: 2 * elements,
      make: () => ({
        inputs: { x: randomUniform([batch, size, size, size, 2 * channels]) },
        attrs: { numOrSizeSplits: [channels, channels], axis: -1 },
      }),
    },
  ];
}

const kernelCases: KernelCase[] = [];
for (const kernel of ['Conv3D', 'Conv3DBackpropInputV2', 'Conv3DBackpropFilterV2']) {
  kernelCases.push(
    convCase(kernel, 2, 64, 4, 4),
    convCase(kernel, 2, 32, 8, 8),
    convCase(kernel, 2, 16, 32, 16),
  );
}
kernelCases.push(poolCase('MaxPool3D', 2, 64, 4), poolCase('MaxPool3DGrad', 2, 64, 4));
kernelCases.push(...elementwiseCases(2, 64, 4));

console.log(
  'Pooling counts one comparison per window voxel, element-wise kernels one operation per element.\n',
);
console.log('| kernel | stock ms | native ms | stock GFLOP/s | native GFLOP/s | speed-up |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const c of kernelCases) {
  const { inputs, attrs } = c.make();
  const fn = runKernel(c.kernel, inputs, attrs);
  unregisterCpuKernels();
  const stockMs = time(fn, 3000, 3);
  registerCpuKernels();
  const nativeMs = time(fn, 1000, 50);
  for (const t of Object.values(inputs)) t.dispose();
  const gflops = (ms: number) => (c.flops / 1e6 / ms).toFixed(2);
  console.log(
    `| ${c.label} | ${stockMs.toFixed(1)} | ${nativeMs.toFixed(2)} | ${gflops(stockMs)} | ${gflops(nativeMs)} | ${(stockMs / nativeMs).toFixed(0)}× |`,
  );
}
