import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Why the native kernels are unavailable. */
export type UnavailableCause =
  /** RPDL_CPU_KERNELS_DISABLE=1. */
  | 'disabled'
  /** The install script never ran (pnpm 10 blocks dependencies' build scripts by default). */
  | 'build-not-run'
  /** The build found no oneDNN headers or library. */
  | 'onednn-missing'
  /** The build found no C++ compiler or make. */
  | 'compiler-missing'
  /** The compiler ran and failed. */
  | 'build-failed'
  /** RPDL_CPU_KERNELS_SKIP_NATIVE=1 at install time. */
  | 'build-skipped'
  /** The addon file exists but does not load. */
  | 'load-failed';

/** What the machine has now, for advice about a build that never ran. */
export interface SystemProbe {
  /** `dnnl.hpp` in a standard include directory (or one on CPATH / CPLUS_INCLUDE_PATH). */
  onednn: boolean;
  /** A C++ compiler (`$CXX`, c++, g++ or clang++) on PATH. */
  compiler: boolean;
}

const INCLUDE_DIRS = ['/usr/include', '/usr/local/include', '/opt/homebrew/include'];

/**
 * Looks for oneDNN's header and a C++ compiler without running anything.
 *
 * @example
 * probeSystem(); // { onednn: true, compiler: true }
 */
export function probeSystem(env: Record<string, string | undefined> = process.env): SystemProbe {
  const includeDirs = [
    ...INCLUDE_DIRS,
    ...(env.CPATH ?? '').split(delimiter),
    ...(env.CPLUS_INCLUDE_PATH ?? '').split(delimiter),
  ].filter((dir) => dir.length > 0);
  const pathDirs = (env.PATH ?? '').split(delimiter).filter((dir) => dir.length > 0);
  const compilers = [env.CXX?.split(' ')[0], 'c++', 'g++', 'clang++'].filter(
    (name): name is string => name !== undefined && name.length > 0,
  );
  return {
    onednn: includeDirs.some((dir) => existsSync(join(dir, 'dnnl.hpp'))),
    compiler: compilers.some(
      (name) =>
        (name.includes('/') && existsSync(name)) ||
        pathDirs.some((dir) => existsSync(join(dir, name))),
    ),
  };
}

const INSTALL_ONEDNN = 'Debian/Ubuntu: apt-get install libdnnl-dev; macOS: brew install onednn';
const INSTALL_COMPILER =
  'Debian/Ubuntu: apt-get install g++ make python3; macOS: xcode-select --install';
const REBUILD =
  'then rebuild: npm rebuild @rpdl/cpu-kernels, or pnpm rebuild @rpdl/cpu-kernels (in the rpdl repository: pnpm --filter @rpdl/cpu-kernels build:native)';
const PNPM_ALLOW =
  "pnpm 10 runs a dependency's install script only when allowed: run `pnpm approve-builds` and pick @rpdl/cpu-kernels (it records that in pnpm-workspace.yaml, under allowBuilds or, in earlier pnpm 10 releases, onlyBuiltDependencies), or `pnpm rebuild @rpdl/cpu-kernels` after allowing it there by hand; with npm: `npm rebuild @rpdl/cpu-kernels`";

function readStatus(statusFile: string): { cause?: unknown; detail?: unknown } | undefined {
  if (!existsSync(statusFile)) return undefined;
  try {
    return JSON.parse(readFileSync(statusFile, 'utf8')) as { cause?: unknown; detail?: unknown };
  } catch {
    return undefined;
  }
}

/**
 * Why the addon file is missing, from the build script's record (`native/build/status.json`)
 * and, when the script never ran, what the machine lacks now; one line with how to fix it.
 *
 * @example
 * const { cause, reason } = diagnoseMissingAddon('/…/native/build/status.json');
 * // cause 'build-not-run': reason names `pnpm approve-builds` and onlyBuiltDependencies
 */
export function diagnoseMissingAddon(
  statusFile: string,
  probe: SystemProbe = probeSystem(),
): { cause: UnavailableCause; reason: string } {
  const status = readStatus(statusFile);
  const detail = typeof status?.detail === 'string' && status.detail ? ` (${status.detail})` : '';
  switch (status?.cause) {
    case 'onednn-missing':
      return {
        cause: 'onednn-missing',
        reason: probe.onednn
          ? `native addon not built: oneDNN was missing when it was built${detail} and is installed now; ${REBUILD}`
          : `native addon not built: oneDNN is not installed${detail}; install it (${INSTALL_ONEDNN}), ${REBUILD}`,
      };
    case 'compiler-missing':
      return {
        cause: 'compiler-missing',
        reason: probe.compiler
          ? `native addon not built: no C++ toolchain when it was built${detail}, one is installed now; ${REBUILD}`
          : `native addon not built: no C++ toolchain${detail}; install one (${INSTALL_COMPILER}), ${REBUILD}`,
      };
    case 'build-failed':
      return {
        cause: 'build-failed',
        reason: `native addon build failed${detail}; full log: npm rebuild @rpdl/cpu-kernels --foreground-scripts (in the rpdl repository: pnpm --filter @rpdl/cpu-kernels build:native)`,
      };
    case 'skipped':
      return {
        cause: 'build-skipped',
        reason: `native addon build skipped (RPDL_CPU_KERNELS_SKIP_NATIVE=1 at install); unset it, ${REBUILD}`,
      };
    default: {
      const lacking = [
        probe.onednn ? '' : `oneDNN is not installed either (${INSTALL_ONEDNN})`,
        probe.compiler ? '' : `nor is a C++ compiler (${INSTALL_COMPILER})`,
      ].filter((s) => s.length > 0);
      return {
        cause: 'build-not-run',
        reason: `native addon not built: its install script never ran; ${PNPM_ALLOW}${lacking.length > 0 ? `; ${lacking.join('; ')}` : ''}`,
      };
    }
  }
}
