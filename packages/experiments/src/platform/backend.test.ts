import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import {
  findBackendFactory,
  getBackend,
  registerBackend,
  removeBackend,
  setBackend,
  tensor1d,
} from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  BackendUnavailableError,
  type ModuleImporter,
  STOCK_KERNEL_SLOWDOWN,
  selectBackend,
  stockKernelWarning,
} from './backend.js';

function missing(specifier: string): Error {
  return Object.assign(
    new Error(`Cannot find package '${specifier}' imported from /app/dist/cli.js`),
    {
      code: 'ERR_MODULE_NOT_FOUND',
    },
  );
}

/** An importer that serves stand-in modules and reports every other specifier as not installed. */
function standIns(modules: Record<string, () => unknown>): ModuleImporter & { seen: string[] } {
  const seen: string[] = [];
  const importer = async (specifier: string) => {
    seen.push(specifier);
    if (specifier === '@tensorflow/tfjs-backend-cpu') return import('@tensorflow/tfjs-backend-cpu');
    const factory = modules[specifier];
    if (!factory) throw missing(specifier);
    return factory();
  };
  return Object.assign(importer, { seen });
}

/** What importing @tensorflow/tfjs-node(-gpu) does: register the "tensorflow" backend. */
const fakeTfjsNode = () => {
  registerBackend('tensorflow', () => new MathBackendCPU());
  return {};
};

afterEach(async () => {
  for (const name of ['tensorflow', 'webgpu']) if (findBackendFactory(name)) removeBackend(name);
  await setBackend('cpu');
});

describe('selectBackend', () => {
  it('reads RPDL_NATIVE_KERNELS from the environment it is given', async () => {
    let registered = 0;
    const kernels = {
      '@rpdl/cpu-kernels': () => ({
        registerCpuKernels: () => {
          registered += 1;
          return { available: true, kernels: ['Conv3D'], registered: true };
        },
      }),
    };
    const off = await selectBackend('cpu', {
      importer: standIns(kernels),
      env: { RPDL_NATIVE_KERNELS: '0' },
    });
    expect(off.nativeKernels).toEqual({
      available: false,
      reason: 'disabled by RPDL_NATIVE_KERNELS=0',
      kernels: [],
    });
    expect(registered).toBe(0);
    const on = await selectBackend('cpu', { importer: standIns(kernels), env: {} });
    expect(on.nativeKernels).toEqual({ available: true, kernels: ['Conv3D'] });
    expect(registered).toBe(1);
  });

  it('explains how to install tfjs-node-gpu (CUDA 11.2, cuDNN 8.1, mirror variable) when it is missing', async () => {
    const error = await selectBackend('cuda', { importer: standIns({}) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain('@tensorflow/tfjs-node-gpu, which is not installed');
    expect(message).toContain('pnpm add @tensorflow/tfjs-node-gpu@4.22.0');
    expect(message).toContain('CUDA 11.2');
    expect(message).toContain('cuDNN 8.1');
    expect(message).toContain('TFJS_NODE_CDN_STORAGE=');
    expect((error as BackendUnavailableError).missingModule).toBe(true);
  });

  it('gives the same kind of error through the real dynamic import (tfjs-node-gpu is not installed here)', async () => {
    const error = await selectBackend('cuda').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as BackendUnavailableError).missingModule).toBe(true);
    expect((error as Error).message).toContain('TFJS_NODE_CDN_STORAGE');
  });

  it('tells a package that fails to load (e.g. no CUDA libraries) apart from a missing one', async () => {
    const importer = standIns({
      '@tensorflow/tfjs-node-gpu': () => {
        throw new Error('libcudnn.so.8: cannot open shared object file');
      },
    });
    const error = await selectBackend('cuda', { importer }).catch((e: unknown) => e);
    expect((error as BackendUnavailableError).missingModule).toBe(false);
    expect((error as Error).message).toMatch(/failed to load: libcudnn\.so\.8[\s\S]*cuDNN 8\.1/);
  });

  it('activates the tensorflow backend registered by a stand-in tfjs-node', async () => {
    const selection = await selectBackend('node', {
      importer: standIns({ '@tensorflow/tfjs-node': fakeTfjsNode }),
    });
    expect(selection).toMatchObject({
      requested: 'node',
      chosen: 'node',
      tfjsBackend: 'tensorflow',
    });
    expect(getBackend()).toBe('tensorflow');
  });

  it('auto takes the fastest installed backend and records what it skipped', async () => {
    const importer = standIns({ '@tensorflow/tfjs-node': fakeTfjsNode });
    const selection = await selectBackend('auto', { importer });
    expect(selection.chosen).toBe('node');
    expect(selection.skipped).toEqual([
      { backend: 'cuda', reason: 'not installed' },
      { backend: 'webgpu', reason: 'not installed' },
    ]);
    expect(importer.seen.slice(0, 3)).toEqual([
      '@tensorflow/tfjs-node-gpu',
      'webgpu',
      '@tensorflow/tfjs-node',
    ]);
  });

  it('auto falls back to cpu and registers native kernels when @rpdl/cpu-kernels offers them', async () => {
    const importer = standIns({
      '@rpdl/cpu-kernels': () => ({
        registerCpuKernels: () => ({ available: true, kernels: ['Conv3D', 'MaxPool3D'] }),
      }),
    });
    const selection = await selectBackend('auto', { importer });
    expect(selection.chosen).toBe('cpu');
    expect(selection.nativeKernels).toEqual({ available: true, kernels: ['Conv3D', 'MaxPool3D'] });
    expect(getBackend()).toBe('cpu');
  });

  it('keeps the stock cpu backend from printing its install-tfjs-node banner', async () => {
    // A fresh cpu backend instance, whose first tensor would print the banner.
    removeBackend('cpu');
    registerBackend('cpu', () => new MathBackendCPU(), 1);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      await selectBackend('cpu', { importer: standIns({}) });
      tensor1d([1, 2]).dispose();
      const printed = warn.mock.calls.map((args) => args.join(' ')).join('\n');
      expect(printed).not.toContain('looks like you are running TensorFlow.js in Node.js');
    } finally {
      warn.mockRestore();
    }
  });

  it('keeps the stock cpu kernels and says why when @rpdl/cpu-kernels is absent', async () => {
    const selection = await selectBackend('cpu', { importer: standIns({}) });
    expect(selection.nativeKernels?.available).toBe(false);
    expect(selection.nativeKernels?.reason).toMatch(/not installed/);
  });

  it('returns the stock-kernel warning, with the expected slowdown and the cause, and prints nothing itself', async () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const selection = await selectBackend('auto', { importer: standIns({}) });
      expect(selection.chosen).toBe('cpu');
      expect(selection.warning).toBe(stockKernelWarning(selection.nativeKernels!));
      expect(selection.warning).toMatch(
        /^warning: training on the stock tfjs cpu kernels, .*not installed/,
      );
      expect(write).not.toHaveBeenCalled();
    } finally {
      write.mockRestore();
    }
    const reason = 'native addon not built: its install script never ran; pnpm approve-builds …';
    expect(stockKernelWarning({ available: false, reason, kernels: [] })).toBe(
      `warning: training on the stock tfjs cpu kernels, ${STOCK_KERNEL_SLOWDOWN} than with the native kernels of @rpdl/cpu-kernels. ${reason}`,
    );
    expect(stockKernelWarning({ available: true, kernels: ['Conv3D'] })).toBeUndefined();
    expect(
      stockKernelWarning({
        available: false,
        reason: 'disabled by RPDL_NATIVE_KERNELS=0',
        kernels: [],
      }),
    ).toBeUndefined();
  });

  it('wires webgpu through the Dawn bindings: navigator.gpu comes from webgpu.create()', async () => {
    const gpu = { requestAdapter: async () => null };
    const importer = standIns({
      webgpu: () => ({ create: () => gpu, globals: {} }),
      '@tensorflow/tfjs-backend-webgpu': () => {
        registerBackend('webgpu', () => new MathBackendCPU());
        return {};
      },
    });
    const selection = await selectBackend('webgpu', { importer });
    expect(selection.tfjsBackend).toBe('webgpu');
    expect((globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu).toBe(gpu);
  });
});
