import { afterEach, describe, expect, it, vi } from 'vitest';

// Each case loads fresh module instances (tfjs-core included), so the addon loader's cache and
// the kernel registry start clean under the environment the case sets.
async function freshModules() {
  vi.resetModules();
  const core = await import('@tensorflow/tfjs-core');
  const register = await import('./register.js');
  return { core, register };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('without the native addon', () => {
  it('reports why in one line, says how to enable it, and overrides nothing', async () => {
    vi.stubEnv('RPDL_CPU_KERNELS_ADDON', '/nonexistent/rpdl_cpu_kernels.node');
    const { core, register } = await freshModules();
    const stockConv = core.getKernel('Conv3D', 'cpu');
    const status = register.registerCpuKernels();
    expect(status.available).toBe(false);
    expect(status.kernels).toEqual([]);
    expect(status.registered).toBe(false);
    expect(status.cause).toBe('load-failed');
    expect(status.reason).toBe(
      "native addon not found at /nonexistent/rpdl_cpu_kernels.node (RPDL_CPU_KERNELS_ADDON); unset it to use the package's own build",
    );
    expect(core.getKernel('Conv3D', 'cpu')).toBe(stockConv);
    expect(register.nativeKernelStatus()).toEqual(status);
  });

  it('treats a file that is not a loadable addon as unavailable', async () => {
    vi.stubEnv('RPDL_CPU_KERNELS_ADDON', new URL('./index.ts', import.meta.url).pathname);
    const { register } = await freshModules();
    const status = register.nativeKernelStatus();
    expect(status.available).toBe(false);
    expect(status.cause).toBe('load-failed');
    expect(status.reason).toMatch(/^native addon failed to load \(.*\); rebuild it: npm rebuild/);
    expect(status.reason).not.toMatch(/\n/);
  });

  it('honours RPDL_CPU_KERNELS_DISABLE=1', async () => {
    vi.stubEnv('RPDL_CPU_KERNELS_DISABLE', '1');
    const { register } = await freshModules();
    expect(register.registerCpuKernels()).toMatchObject({
      available: false,
      cause: 'disabled',
      kernels: [],
    });
  });
});

describe('with the native addon', () => {
  it('is available where CI demands it (RPDL_REQUIRE_NATIVE_KERNELS=1)', async () => {
    const { register } = await freshModules();
    const status = register.nativeKernelStatus();
    if (process.env.RPDL_REQUIRE_NATIVE_KERNELS === '1') {
      expect(status.reason).toBeUndefined();
      expect(status.available).toBe(true);
    } else {
      expect(typeof status.available).toBe('boolean');
    }
  });

  it('registers once, is safe to call twice, and unregisters back to the stock kernels', async () => {
    const { core, register } = await freshModules();
    if (!register.nativeKernelStatus().available) return;
    const stockConv = core.getKernel('Conv3D', 'cpu');
    const first = register.registerCpuKernels();
    expect(first.registered).toBe(true);
    expect(first.kernels).toContain('Conv3D');
    expect(first.kernels).toContain('MaxPool3DGrad');
    const replaced = core.getKernel('Conv3D', 'cpu');
    expect(replaced).not.toBe(stockConv);
    expect(register.registerCpuKernels()).toEqual(first);
    expect(core.getKernel('Conv3D', 'cpu')).toBe(replaced);
    expect(register.stockKernel('Conv3D')).toBe(stockConv);
    expect(register.unregisterCpuKernels()).toEqual(first.kernels);
    expect(core.getKernel('Conv3D', 'cpu')).toBe(stockConv);
    expect(register.nativeKernelStatus().registered).toBe(false);
  });
});
