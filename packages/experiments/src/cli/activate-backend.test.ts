import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { captureIo } from '../../test/capture-io.js';
import { type ModuleImporter, stockKernelWarning } from '../platform/backend.js';
import { activateBackend } from './activate-backend.js';

/** Serves the stock cpu backend and, when given, a stand-in @rpdl/cpu-kernels; nothing else. */
function importer(cpuKernels?: () => unknown): ModuleImporter {
  return async (specifier) => {
    if (specifier === '@tensorflow/tfjs-backend-cpu') return import('@tensorflow/tfjs-backend-cpu');
    if (specifier === '@rpdl/cpu-kernels' && cpuKernels) return cpuKernels();
    throw Object.assign(new Error(`Cannot find package '${specifier}'`), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
  };
}

describe('activateBackend', () => {
  it("shows the stock-kernel warning once on the command's stderr, nothing on stdout", async () => {
    const c = captureIo();
    const selection = await activateBackend('cpu', { ...c.io, importer: importer() });
    expect(selection.nativeKernels?.available).toBe(false);
    expect(c.stderr()).toBe(`${stockKernelWarning(selection.nativeKernels!)}\n`);
    expect(c.stderr()).toMatch(/^warning: training on the stock tfjs cpu kernels/);
    expect(c.stdout()).toBe('');
  });

  it('shows nothing when the native kernels run', async () => {
    const c = captureIo();
    const native = () => ({
      registerCpuKernels: () => ({ available: true, kernels: ['Conv3D'], registered: true }),
    });
    const selection = await activateBackend('cpu', { ...c.io, importer: importer(native) });
    expect(selection.nativeKernels?.available).toBe(true);
    expect(selection.warning).toBeUndefined();
    expect(c.stderr()).toBe('');
  });
});
