#!/usr/bin/env node
// Builds the oneDNN addon with node-gyp. A machine without oneDNN or a C++ compiler must still
// install and build the workspace, so a failed build only prints how to enable the native path
// and exits 0 — unless `--strict` is given or RPDL_REQUIRE_NATIVE_KERNELS=1 is set (CI).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const strict = process.argv.includes('--strict') || process.env.RPDL_REQUIRE_NATIVE_KERNELS === '1';
const howTo =
  'install oneDNN (Debian/Ubuntu: apt-get install libdnnl-dev; macOS: brew install onednn) and a C++ compiler, then run: npm rebuild @rpdl/cpu-kernels (in the rpdl repository: pnpm --filter @rpdl/cpu-kernels build:native)';

if (process.env.RPDL_CPU_KERNELS_SKIP_NATIVE === '1' && !strict) {
  console.log('@rpdl/cpu-kernels: native build skipped (RPDL_CPU_KERNELS_SKIP_NATIVE=1)');
  process.exit(0);
}

let nodeGyp;
try {
  nodeGyp = createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
} catch {
  finish(1, 'node-gyp is not installed');
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
  console.log(
    '@rpdl/cpu-kernels: native oneDNN kernels built (native/build/Release/rpdl_cpu_kernels.node)',
  );
  process.exit(0);
}
const firstError =
  log
    .split('\n')
    .find((line) => /error|not found|No such file/i.test(line) && !line.startsWith('gyp info'))
    ?.trim() ?? `node-gyp exited with ${result.status ?? result.signal}`;
if (strict) process.stderr.write(log);
finish(1, firstError);

function finish(code, why) {
  const message = `@rpdl/cpu-kernels: native kernels not built (${why}); ${howTo}`;
  if (strict) {
    console.error(message);
    process.exit(code);
  }
  console.warn(message);
  process.exit(0);
}
