#!/usr/bin/env node
// Builds the oneDNN addon with node-gyp. A machine without oneDNN or a C++ compiler must still
// install and build the workspace, so a failed build only prints how to enable the native path
// and exits 0 — unless `--strict` is given or RPDL_REQUIRE_NATIVE_KERNELS=1 is set (CI).
//
// Every outcome is recorded in native/build/status.json ({ cause, detail }), which the package
// reads at run time to say why the addon is missing: oneDNN missing, compiler missing, build
// failed (with the compiler's first error line). No file at all means this script never ran
// (pnpm 10 skips dependencies' install scripts unless they are allowed).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = join(packageRoot, 'native', 'build');
const strict = process.argv.includes('--strict') || process.env.RPDL_REQUIRE_NATIVE_KERNELS === '1';
const rebuild = 'then rebuild: npm rebuild @rpdl/cpu-kernels, or pnpm rebuild @rpdl/cpu-kernels';
const HOW_TO = {
  'onednn-missing': `install oneDNN (Debian/Ubuntu: apt-get install libdnnl-dev; macOS: brew install onednn), ${rebuild}`,
  'compiler-missing': `install a C++ toolchain (Debian/Ubuntu: apt-get install g++ make python3; macOS: xcode-select --install), ${rebuild}`,
  'build-failed':
    'see the full log with: npm rebuild @rpdl/cpu-kernels --foreground-scripts (in the rpdl repository: pnpm --filter @rpdl/cpu-kernels build:native)',
  skipped: 'unset RPDL_CPU_KERNELS_SKIP_NATIVE and rebuild',
};

if (process.env.RPDL_CPU_KERNELS_SKIP_NATIVE === '1' && !strict) {
  record('skipped', 'RPDL_CPU_KERNELS_SKIP_NATIVE=1');
  console.log('@rpdl/cpu-kernels: native build skipped (RPDL_CPU_KERNELS_SKIP_NATIVE=1)');
  process.exit(0);
}

/** The first of `names` found on PATH, or undefined. */
function onPath(names) {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of names) {
      for (const ext of process.platform === 'win32' ? ['.exe', '.cmd', ''] : ['']) {
        if (existsSync(join(dir, name + ext))) return join(dir, name + ext);
      }
    }
  }
  return undefined;
}

const compiler = process.env.CXX
  ? process.env.CXX.split(' ')[0]
  : onPath(['c++', 'g++', 'clang++']);
if (!compiler || (process.env.CXX && !existsSync(compiler) && !onPath([compiler]))) {
  finish('compiler-missing', 'no C++ compiler (c++, g++ or clang++) on PATH');
}
if (process.platform !== 'win32' && !onPath(['make'])) {
  finish('compiler-missing', 'make is not on PATH');
}

let nodeGyp;
try {
  nodeGyp = createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
} catch {
  finish('build-failed', 'node-gyp is not installed');
}

// Use the running Node's own headers when they are installed next to it (distribution packages,
// official tarballs), so the build works offline instead of downloading them.
const args = [nodeGyp, 'rebuild'];
const prefix = join(dirname(process.execPath), '..');
if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) {
  args.push(`--nodedir=${prefix}`);
}
// binding.gyp lives in native/ rather than the package root, where package managers would run
// `node-gyp rebuild` on install by themselves and fail the install on machines without oneDNN.
const result = spawnSync(process.execPath, args, {
  cwd: join(packageRoot, 'native'),
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'pipe'],
});
const log = `${result.stdout ?? ''}${result.stderr ?? ''}`;
if (result.status === 0) {
  record('built', '');
  console.log(
    '@rpdl/cpu-kernels: native oneDNN kernels built (native/build/Release/rpdl_cpu_kernels.node)',
  );
  process.exit(0);
}
if (strict) process.stderr.write(log);
const lines = log.split('\n').map((line) => line.trim());
const missingOneDnn = lines.find((line) =>
  /dnnl[^\s:]*\.h(pp)?: No such file|dnnl[^\s]*\.h(pp)?' file not found|cannot find -ldnnl|library not found for -ldnnl/.test(
    line,
  ),
);
if (missingOneDnn) finish('onednn-missing', missingOneDnn);
const firstError =
  lines.find((line) => /\berror\b/i.test(line) && !line.startsWith('gyp')) ??
  lines.find((line) => /not found|No such file/i.test(line) && !line.startsWith('gyp info')) ??
  `node-gyp exited with ${result.status ?? result.signal}`;
finish('build-failed', firstError);

function record(cause, detail) {
  try {
    mkdirSync(buildDir, { recursive: true });
    writeFileSync(join(buildDir, 'status.json'), `${JSON.stringify({ cause, detail })}\n`);
  } catch {
    // A read-only install directory: the run-time check then reports the script as not run.
  }
}

function finish(cause, detail) {
  record(cause, detail);
  const what = {
    'onednn-missing': 'oneDNN was not found',
    'compiler-missing': 'no C++ toolchain',
    'build-failed': 'the build failed',
  }[cause];
  const message = `@rpdl/cpu-kernels: native kernels not built: ${what} (${detail}); ${HOW_TO[cause]}`;
  if (strict) {
    console.error(message);
    process.exit(1);
  }
  console.warn(message);
  process.exit(0);
}
