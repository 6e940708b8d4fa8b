/** Which convolution kernels the run used, for the printout. */
export interface KernelChoice {
  native: boolean;
  /** One line saying what was registered, or why not. */
  note: string;
}

/**
 * Registers `@rpdl/cpu-kernels`' native oneDNN kernels on the tfjs cpu backend when they were
 * built on this machine; otherwise the stock kernels stay and the note says how to enable them.
 * Call after `setBackend('cpu')`.
 *
 * @example
 * const { note } = await useNativeKernels(true);
 */
export async function useNativeKernels(wanted: boolean): Promise<KernelChoice> {
  if (!wanted) return { native: false, note: 'stock tfjs cpu kernels (--stock-kernels)' };
  const { registerCpuKernels } = await import('@rpdl/cpu-kernels');
  const status = registerCpuKernels();
  return status.available
    ? {
        native: true,
        note: `native oneDNN kernels from @rpdl/cpu-kernels (${status.kernels.length})`,
      }
    : {
        native: false,
        note: `stock tfjs cpu kernels: ${status.reason ?? 'native kernels unavailable'}`,
      };
}
