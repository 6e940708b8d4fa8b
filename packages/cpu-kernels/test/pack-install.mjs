#!/usr/bin/env node
// Installs the packed package into scratch consumer projects, as a user would, and checks what
// they get:
//   1. pnpm with its default settings (dependency build scripts blocked): the package loads,
//      reports cause 'build-not-run' and names the pnpm setting that allows the build;
//   2. after `pnpm approve-builds --all` in that project (the fix the reason gives): the addon
//      is built and the native kernels register (skipped with a note where oneDNN or a compiler
//      is missing, unless RPDL_REQUIRE_NATIVE_KERNELS=1).
//   pnpm --filter @rpdl/cpu-kernels test:pack      (builds dist first; about a minute)
// Installs resolve from the local pnpm store first (--prefer-offline).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const pnpm = process.platform === 'win32' ? 'pnpm.cmd' : 'pnpm';
const scratch = mkdtempSync(join(tmpdir(), 'rpdl-cpu-kernels-pack-'));
const failures = [];

function run(cmd, args, cwd) {
  const result = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(
      `${cmd} ${args.join(' ')} failed in ${cwd}:\n${result.stdout}\n${result.stderr}`,
    );
  }
  return `${result.stdout}${result.stderr}`;
}

function check(what, ok, detail) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${ok ? '' : `\n     ${detail}`}`);
  if (!ok) failures.push(what);
}

try {
  run(pnpm, ['run', 'build'], packageRoot);
  run(pnpm, ['pack', '--pack-destination', scratch], packageRoot);
  const tarball = join(
    scratch,
    readdirSync(scratch).find((f) => f.endsWith('.tgz')),
  );

  const consumer = (name) => {
    const dir = join(scratch, name);
    mkdirSync(dir);
    const manifest = {
      name: `scratch-${name}`,
      private: true,
      type: 'module',
      dependencies: {
        '@rpdl/cpu-kernels': `file:${tarball}`,
        '@tensorflow/tfjs-core': '4.22.0',
        '@tensorflow/tfjs-backend-cpu': '4.22.0',
      },
    };
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const log = run(
      pnpm,
      ['install', '--prefer-offline', '--config.confirmModulesPurge=false'],
      dir,
    );
    const probe = [
      "import '@tensorflow/tfjs-backend-cpu';",
      "import { registerCpuKernels } from '@rpdl/cpu-kernels';",
      'const s = registerCpuKernels();',
      'console.log(JSON.stringify({ available: s.available, cause: s.cause, reason: s.reason, n: s.kernels.length }));',
    ].join('\n');
    writeFileSync(join(dir, 'probe.mjs'), probe);
    const status = () =>
      JSON.parse(
        execFileSync(process.execPath, ['probe.mjs'], { cwd: dir, encoding: 'utf8' }).trim(),
      );
    return { dir, log, status };
  };

  const project = consumer('pnpm-default');
  const blocked = { status: project.status() };
  check(
    'pnpm default: the package installs and loads without its build script',
    blocked.status.available === false && blocked.status.cause === 'build-not-run',
    JSON.stringify(blocked.status),
  );
  check(
    'pnpm default: the reason names pnpm approve-builds and onlyBuiltDependencies',
    /pnpm approve-builds/.test(blocked.status.reason) &&
      /allowBuilds/.test(blocked.status.reason) &&
      /onlyBuiltDependencies/.test(blocked.status.reason),
    blocked.status.reason,
  );

  run(pnpm, ['approve-builds', '--all'], project.dir);
  const allowed = { status: project.status() };
  if (allowed.status.available) {
    check('after pnpm approve-builds: the addon is built and registers', allowed.status.n > 0, '');
  } else if (
    ['onednn-missing', 'compiler-missing'].includes(allowed.status.cause) &&
    process.env.RPDL_REQUIRE_NATIVE_KERNELS !== '1'
  ) {
    console.log(`skip the native build after pnpm approve-builds: ${allowed.status.reason}`);
    check('the build ran and recorded why it could not build', true, '');
  } else {
    check(
      'after pnpm approve-builds: the addon is built and registers',
      false,
      JSON.stringify(allowed.status),
    );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
if (failures.length > 0) {
  console.error(`${failures.length} check(s) failed`);
  process.exit(1);
}
