import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnoseMissingAddon, probeSystem } from './build-diagnosis.js';

function statusFile(content?: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'rpdl-diagnosis-'));
  const file = join(dir, 'status.json');
  if (content) writeFileSync(file, JSON.stringify(content));
  return file;
}

const HAS_ALL = { onednn: true, compiler: true };
const HAS_NOTHING = { onednn: false, compiler: false };

describe('diagnoseMissingAddon', () => {
  it('without a build record: the install script never ran, with the pnpm settings that allow it', () => {
    const { cause, reason } = diagnoseMissingAddon(statusFile(), HAS_ALL);
    expect(cause).toBe('build-not-run');
    expect(reason).toMatch(/install script never ran/);
    expect(reason).toMatch(/pnpm approve-builds/);
    expect(reason).toMatch(/allowBuilds/);
    expect(reason).toMatch(/onlyBuiltDependencies/);
    expect(reason).toMatch(/pnpm rebuild @rpdl\/cpu-kernels/);
    expect(reason).toMatch(/npm rebuild @rpdl\/cpu-kernels/);
    expect(reason).not.toMatch(/oneDNN|compiler/);
    expect(reason).not.toMatch(/\n/);
  });

  it('adds what the machine lacks when the script never ran', () => {
    const { reason } = diagnoseMissingAddon(statusFile(), HAS_NOTHING);
    expect(reason).toMatch(
      /oneDNN is not installed either \(Debian\/Ubuntu: apt-get install libdnnl-dev/,
    );
    expect(reason).toMatch(
      /nor is a C\+\+ compiler \(Debian\/Ubuntu: apt-get install g\+\+ make python3/,
    );
  });

  it('oneDNN missing at build time: how to install it, or just rebuild once it is there', () => {
    const file = statusFile({
      cause: 'onednn-missing',
      detail: 'fatal error: dnnl.hpp: No such file or directory',
    });
    const missing = diagnoseMissingAddon(file, HAS_NOTHING);
    expect(missing.cause).toBe('onednn-missing');
    expect(missing.reason).toBe(
      'native addon not built: oneDNN is not installed (fatal error: dnnl.hpp: No such file or directory); install it (Debian/Ubuntu: apt-get install libdnnl-dev; macOS: brew install onednn), then rebuild: npm rebuild @rpdl/cpu-kernels, or pnpm rebuild @rpdl/cpu-kernels (in the rpdl repository: pnpm --filter @rpdl/cpu-kernels build:native)',
    );
    const installedSince = diagnoseMissingAddon(file, HAS_ALL);
    expect(installedSince.reason).toMatch(
      /was missing when it was built .* and is installed now; then rebuild/,
    );
  });

  it('compiler missing at build time', () => {
    const file = statusFile({
      cause: 'compiler-missing',
      detail: 'no C++ compiler (c++, g++ or clang++) on PATH',
    });
    const { cause, reason } = diagnoseMissingAddon(file, HAS_NOTHING);
    expect(cause).toBe('compiler-missing');
    expect(reason).toMatch(
      /no C\+\+ toolchain \(no C\+\+ compiler \(c\+\+, g\+\+ or clang\+\+\) on PATH\); install one \(Debian\/Ubuntu: apt-get install g\+\+ make python3; macOS: xcode-select --install\)/,
    );
  });

  it("build failed: the compiler's first error line and where the full log is", () => {
    const line = "../dnnl_kernels.cc:12:3: error: 'foo' was not declared in this scope";
    const { cause, reason } = diagnoseMissingAddon(
      statusFile({ cause: 'build-failed', detail: line }),
      HAS_ALL,
    );
    expect(cause).toBe('build-failed');
    expect(reason).toBe(
      `native addon build failed (${line}); full log: npm rebuild @rpdl/cpu-kernels --foreground-scripts (in the rpdl repository: pnpm --filter @rpdl/cpu-kernels build:native)`,
    );
  });

  it('build skipped on purpose', () => {
    const { cause, reason } = diagnoseMissingAddon(
      statusFile({ cause: 'skipped', detail: 'x' }),
      HAS_ALL,
    );
    expect(cause).toBe('build-skipped');
    expect(reason).toMatch(/RPDL_CPU_KERNELS_SKIP_NATIVE=1/);
  });

  it('treats an unreadable record as no record', () => {
    const file = statusFile();
    writeFileSync(file, '{ not json');
    expect(diagnoseMissingAddon(file, HAS_ALL).cause).toBe('build-not-run');
  });
});

describe('probeSystem', () => {
  it('finds dnnl.hpp on CPATH and a compiler on PATH, and reports their absence', () => {
    const root = mkdtempSync(join(tmpdir(), 'rpdl-probe-'));
    mkdirSync(join(root, 'include'));
    mkdirSync(join(root, 'bin'));
    writeFileSync(join(root, 'include', 'dnnl.hpp'), '');
    writeFileSync(join(root, 'bin', 'clang++'), '');
    const found = probeSystem({ CPATH: join(root, 'include'), PATH: join(root, 'bin') });
    expect(found.compiler).toBe(true);
    expect(found.onednn).toBe(true);
    const empty = mkdtempSync(join(tmpdir(), 'rpdl-probe-empty-'));
    expect(probeSystem({ PATH: empty }).compiler).toBe(false);
    expect(probeSystem({ PATH: empty, CXX: join(root, 'bin', 'clang++') }).compiler).toBe(true);
  });
});
