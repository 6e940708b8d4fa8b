import type { CpuKernelStatus } from '@rpdl/cpu-kernels';
import { engine, getBackend, getKernel, setBackend } from '@tensorflow/tfjs-core';
import type { BackendName } from '../cli/args.js';

/** Loads a module by specifier; injectable so tests can substitute stand-in modules. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

/** The importer used by default: Node's dynamic `import()`, resolved from this package. */
export const defaultImporter: ModuleImporter = (specifier) => import(specifier);

/**
 * Status of `@rpdl/cpu-kernels` after trying to register it: the package's own status, reduced to
 * what also holds when the package is missing or disabled.
 */
export type NativeKernelStatus = Pick<CpuKernelStatus, 'available' | 'reason' | 'kernels'>;

/** The process environment, injectable so tests can set `RPDL_NATIVE_KERNELS` per call. */
export type Environment = Record<string, string | undefined>;

/** What {@link selectBackend} chose. */
export interface BackendSelection {
  requested: BackendName;
  /** The `--backend` value that ended up active (differs from `requested` for `auto`). */
  chosen: Exclude<BackendName, 'auto'>;
  /** The tfjs backend name now active (`cpu`, `wasm`, `tensorflow`, `webgpu`). */
  tfjsBackend: string;
  /** For the cpu backend: whether native kernels replaced the stock ones. */
  nativeKernels?: NativeKernelStatus;
  /** Backends `auto` tried and passed over, with the reason. */
  skipped: Array<{ backend: BackendName; reason: string }>;
  /** For the caller to show: the stock-kernel warning ({@link stockKernelWarning}), if any. */
  warning?: string;
}

/** A backend's package is missing or cannot start; the message says how to fix it. */
export class BackendUnavailableError extends Error {
  override name = 'BackendUnavailableError';
  constructor(
    readonly backend: Exclude<BackendName, 'auto'>,
    message: string,
    readonly missingModule: boolean,
  ) {
    super(message);
  }
}

const TFJS_VERSION = '4.22.0';

/**
 * Install instructions for a backend's packages, as printed when they are missing.
 *
 * @example
 * installInstructions('cuda'); // mentions CUDA 11.2, cuDNN 8.1 and TFJS_NODE_CDN_STORAGE
 */
export function installInstructions(backend: Exclude<BackendName, 'auto'>): string {
  const mirror = (pkg: string, archive: string) =>
    [
      `  Its install step downloads libtensorflow 2.9.1 (${archive}).`,
      '  Where that download is blocked or refused (it currently answers 403 upstream), put the',
      `  archive on a mirror under the same path (tensorflow/libtensorflow/${archive})`,
      '  and point the install at it:',
      `    TFJS_NODE_CDN_STORAGE=https://your-mirror.example/ pnpm add ${pkg}@${TFJS_VERSION}`,
    ].join('\n');
  switch (backend) {
    case 'cuda':
      return [
        '  Install it next to @rpdl/experiments:',
        `    pnpm add @tensorflow/tfjs-node-gpu@${TFJS_VERSION}`,
        '  It runs on an NVIDIA GPU (Linux x86-64) and needs CUDA 11.2 and cuDNN 8.1 on the library',
        '  path (e.g. LD_LIBRARY_PATH=/usr/local/cuda-11.2/lib64).',
        mirror('@tensorflow/tfjs-node-gpu', 'libtensorflow-gpu-linux-x86_64-2.9.1.tar.gz'),
      ].join('\n');
    case 'node':
      return [
        '  Install it next to @rpdl/experiments:',
        `    pnpm add @tensorflow/tfjs-node@${TFJS_VERSION}`,
        mirror('@tensorflow/tfjs-node', 'libtensorflow-cpu-linux-x86_64-2.9.1.tar.gz'),
      ].join('\n');
    case 'webgpu':
      return [
        '  Install both next to @rpdl/experiments (the Dawn binaries ship inside the webgpu package):',
        `    pnpm add webgpu@0.6.2 @tensorflow/tfjs-backend-webgpu@${TFJS_VERSION}`,
        '  A GPU with a Vulkan, Metal or D3D12 driver is needed at run time.',
      ].join('\n');
    case 'wasm':
      return [
        '  Install it next to @rpdl/experiments (its .wasm binaries ship inside the package):',
        `    pnpm add @tensorflow/tfjs-backend-wasm@${TFJS_VERSION}`,
      ].join('\n');
    case 'cpu':
      return `  Reinstall @rpdl/experiments: @tensorflow/tfjs-backend-cpu@${TFJS_VERSION} is one of its dependencies.`;
  }
}

const PACKAGES: Readonly<Record<Exclude<BackendName, 'auto'>, string[]>> = {
  cpu: ['@tensorflow/tfjs-backend-cpu'],
  wasm: ['@tensorflow/tfjs-backend-wasm'],
  node: ['@tensorflow/tfjs-node'],
  cuda: ['@tensorflow/tfjs-node-gpu'],
  webgpu: ['webgpu', '@tensorflow/tfjs-backend-webgpu'],
};

function isMissingModule(error: unknown, specifier: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (!message.includes(specifier)) return false;
  return (
    code === 'ERR_MODULE_NOT_FOUND' ||
    code === 'MODULE_NOT_FOUND' ||
    /Cannot find (package|module)|Failed to (load|resolve)/.test(message)
  );
}

async function load(
  backend: Exclude<BackendName, 'auto'>,
  specifier: string,
  importer: ModuleImporter,
): Promise<unknown> {
  try {
    return await importer(specifier);
  } catch (error) {
    if (isMissingModule(error, specifier)) {
      throw new BackendUnavailableError(
        backend,
        `the "${backend}" backend needs ${PACKAGES[backend].join(' and ')}, which ${PACKAGES[backend].length > 1 ? 'are' : 'is'} not installed.\n${installInstructions(backend)}\n  Or run with --backend cpu.`,
        true,
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new BackendUnavailableError(
      backend,
      `the "${backend}" backend's package ${specifier} is installed but failed to load: ${reason}\n${installInstructions(backend)}`,
      false,
    );
  }
}

async function activate(backend: Exclude<BackendName, 'auto'>, tfjsName: string): Promise<void> {
  let ok = false;
  try {
    ok = await setBackend(tfjsName);
  } catch (error) {
    throw new BackendUnavailableError(
      backend,
      `the "${backend}" backend failed to start: ${error instanceof Error ? error.message : String(error)}`,
      false,
    );
  }
  if (!ok || getBackend() !== tfjsName) {
    const why =
      backend === 'webgpu' ? ' (no WebGPU adapter was found: is a GPU driver installed?)' : '';
    throw new BackendUnavailableError(
      backend,
      `the "${backend}" backend did not initialise${why}`,
      false,
    );
  }
  if (tfjsName === 'cpu') silenceNodeBackendAdvice();
}

/**
 * The stock cpu backend prints, on its first tensor, advice to install tfjs-node. The CLI has
 * already chosen its backend and said why it skipped the others (and may run native kernels),
 * so that banner only misleads. It is gated on the backend's `firstUse` flag.
 */
function silenceNodeBackendAdvice(): void {
  const cpu = engine().backend as { firstUse?: unknown };
  if (typeof cpu.firstUse === 'boolean') cpu.firstUse = false;
}

const DISABLED_BY_ENV = 'disabled by RPDL_NATIVE_KERNELS=0';

/**
 * Registers `@rpdl/cpu-kernels` if it is installed (optional: a missing package or native addon
 * just means the stock kernels stay). `RPDL_NATIVE_KERNELS=0` in the environment keeps the stock
 * kernels.
 *
 * @example
 * const status = await registerNativeCpuKernels(); // { available: false, reason: '…', kernels: [] }
 */
export async function registerNativeCpuKernels(
  importer: ModuleImporter = defaultImporter,
  env: Environment = process.env,
): Promise<NativeKernelStatus> {
  // An escape hatch for comparing against (or falling back to) the stock tfjs kernels.
  if (env.RPDL_NATIVE_KERNELS === '0') {
    return { available: false, reason: DISABLED_BY_ENV, kernels: [] };
  }
  let module: { registerCpuKernels?: () => CpuKernelStatus };
  try {
    module = (await importer('@rpdl/cpu-kernels')) as typeof module;
  } catch (error) {
    if (isMissingModule(error, '@rpdl/cpu-kernels')) {
      return {
        available: false,
        reason:
          '@rpdl/cpu-kernels is not installed: add it next to @rpdl/experiments (npm install @rpdl/cpu-kernels, or pnpm add @rpdl/cpu-kernels and allow its build script with pnpm approve-builds)',
        kernels: [],
      };
    }
    return {
      available: false,
      reason: `@rpdl/cpu-kernels failed to load: ${error instanceof Error ? error.message : String(error)}`,
      kernels: [],
    };
  }
  if (typeof module.registerCpuKernels !== 'function') {
    return {
      available: false,
      reason: '@rpdl/cpu-kernels has no registerCpuKernels export',
      kernels: [],
    };
  }
  const status = module.registerCpuKernels();
  return {
    available: status.available,
    kernels: [...status.kernels],
    ...(status.reason ? { reason: status.reason } : {}),
  };
}

/**
 * How much slower a training step runs on the stock tfjs cpu kernels than on the native ones,
 * measured side by side with `pnpm --filter @rpdl/cpu-kernels bench -- --cases quick --stock`
 * (the quick profile's 16³ U-net, batch 2: 1.73 s against 0.054 s per sample, 32×).
 */
export const STOCK_KERNEL_SLOWDOWN =
  "about 30 times slower (measured: 32× per training step of the quick profile's U-net)";

/**
 * The one warning `rpdl` prints when it trains on the stock cpu kernels, with the expected
 * slowdown and the cause and fix from `@rpdl/cpu-kernels`; none when the native kernels run or
 * the user turned them off.
 *
 * @example
 * stockKernelWarning({ available: false, reason: 'native addon not built: …', kernels: [] });
 */
export function stockKernelWarning(status: NativeKernelStatus): string | undefined {
  if (status.available || status.reason === DISABLED_BY_ENV) return undefined;
  return `warning: training on the stock tfjs cpu kernels, ${STOCK_KERNEL_SLOWDOWN} than with the native kernels of @rpdl/cpu-kernels. ${status.reason ?? 'They are unavailable.'}`;
}

async function selectOne(
  backend: Exclude<BackendName, 'auto'>,
  importer: ModuleImporter,
  env: Environment,
): Promise<Omit<BackendSelection, 'requested' | 'skipped'>> {
  switch (backend) {
    case 'cpu': {
      await load('cpu', '@tensorflow/tfjs-backend-cpu', importer);
      const nativeKernels = await registerNativeCpuKernels(importer, env);
      const warning = stockKernelWarning(nativeKernels);
      await activate('cpu', 'cpu');
      return { chosen: 'cpu', tfjsBackend: 'cpu', nativeKernels, ...(warning ? { warning } : {}) };
    }
    case 'wasm': {
      await load('wasm', '@tensorflow/tfjs-backend-wasm', importer);
      await activate('wasm', 'wasm');
      if (!getKernel('Conv3D', 'wasm')) {
        throw new BackendUnavailableError(
          'wasm',
          'the "wasm" backend has no Conv3D kernel, so the 3D models cannot run on it; use --backend cpu',
          false,
        );
      }
      return { chosen: 'wasm', tfjsBackend: 'wasm' };
    }
    case 'node':
    case 'cuda': {
      await load(backend, PACKAGES[backend][0]!, importer);
      await activate(backend, 'tensorflow');
      return { chosen: backend, tfjsBackend: 'tensorflow' };
    }
    case 'webgpu': {
      const dawn = (await load('webgpu', 'webgpu', importer)) as {
        create?: (options: string[]) => unknown;
        globals?: Record<string, unknown>;
      };
      if (typeof dawn.create !== 'function') {
        throw new BackendUnavailableError(
          'webgpu',
          'the installed "webgpu" package has no create() export',
          false,
        );
      }
      // tfjs-backend-webgpu looks for navigator.gpu, which Node lacks: provide Dawn's.
      Object.assign(globalThis, dawn.globals ?? {});
      const g = globalThis as { navigator?: { gpu?: unknown } };
      if (g.navigator === undefined) {
        Object.defineProperty(globalThis, 'navigator', {
          value: {},
          configurable: true,
          writable: true,
        });
      }
      g.navigator!.gpu ??= dawn.create([]);
      await load('webgpu', '@tensorflow/tfjs-backend-webgpu', importer);
      await activate('webgpu', 'webgpu');
      return { chosen: 'webgpu', tfjsBackend: 'webgpu' };
    }
  }
}

/** The order `auto` tries, fastest first; cpu (with native kernels when present) always works. */
export const AUTO_ORDER: readonly Exclude<BackendName, 'auto'>[] = Object.freeze([
  'cuda',
  'webgpu',
  'node',
  'cpu',
] as const);

/**
 * Activates a tfjs backend by `--backend` name, importing its package dynamically (all GPU and
 * native backends are optional peers). A missing package gives a {@link BackendUnavailableError}
 * with install instructions; `auto` instead tries {@link AUTO_ORDER} and keeps the first that
 * starts, recording why the others were skipped. `env` (default `process.env`) is read for
 * `RPDL_NATIVE_KERNELS`.
 *
 * @example
 * const selection = await selectBackend('auto');
 * console.log(selection.chosen, selection.nativeKernels);
 */
export async function selectBackend(
  requested: BackendName,
  options: {
    importer?: ModuleImporter;
    env?: Environment;
  } = {},
): Promise<BackendSelection> {
  const importer = options.importer ?? defaultImporter;
  const env = options.env ?? process.env;
  if (requested !== 'auto') {
    return { requested, skipped: [], ...(await selectOne(requested, importer, env)) };
  }
  const skipped: BackendSelection['skipped'] = [];
  for (const backend of AUTO_ORDER) {
    try {
      return { requested, skipped, ...(await selectOne(backend, importer, env)) };
    } catch (error) {
      if (!(error instanceof BackendUnavailableError) || backend === 'cpu') throw error;
      skipped.push({
        backend,
        reason: error.missingModule ? 'not installed' : error.message.split('\n')[0]!,
      });
    }
  }
  throw new Error('unreachable: the cpu backend is always tried last');
}

/**
 * A one-line description of the active backend for logs.
 *
 * @example
 * describeBackend(await selectBackend('cpu')); // 'cpu (stock kernels: …)'
 */
export function describeBackend(selection: BackendSelection): string {
  let text = selection.chosen;
  if (selection.nativeKernels) {
    text += selection.nativeKernels.available
      ? ` (native kernels: ${selection.nativeKernels.kernels.length} replaced)`
      : ` (stock kernels: ${selection.nativeKernels.reason ?? 'native kernels unavailable'})`;
  }
  if (selection.requested === 'auto' && selection.skipped.length > 0) {
    text += `; auto skipped ${selection.skipped.map((s) => `${s.backend} (${s.reason})`).join(', ')}`;
  }
  return text;
}
