import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  danglingImports,
  packageProblems,
  packedFiles,
  sourcesOutside,
  testFilesIn,
} from './pack-contents.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A package folder with the given files (path → text). */
function fakePackage(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pack-contents-'));
  scratch.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('tarball contents check', () => {
  it('finds tests, test helpers, test folders and doc-test scratch folders', () => {
    const tests = [
      'src/a.test.ts',
      'src/b.spec.mjs',
      'src/test-helpers.ts',
      'src/deep/test-helper.js',
      'test/numeric.ts',
      'src/fixtures/x.json',
      '.readme-snippet-abc/snippet-1.mts',
    ];
    const shipped = ['README.md', 'src/index.ts', 'src/testing.ts', 'src/latest.ts'];
    expect(testFilesIn([...shipped, ...tests])).toEqual(tests);
    expect(testFilesIn(shipped)).toEqual([]);
  });

  it('finds relative imports of shipped sources that point at files the tarball lacks', () => {
    const sources = new Map([
      [
        'src/index.ts',
        "export { a } from './a.js';\nimport './register.js';\nconst b = await import('./lazy.js');\nimport x from 'pkg';",
      ],
      [
        'src/a.ts',
        "import { h } from '../../../tooling/testing/prng.js';\nimport { d } from './dir';",
      ],
      ['src/register.ts', ''],
      ['src/dir/index.ts', ''],
    ]);
    expect(danglingImports(sources, [...sources.keys()])).toEqual([
      'src/index.ts → ./lazy.js',
      'src/a.ts → ../../../tooling/testing/prng.js',
    ]);
  });

  it('finds source-map sources outside the package', () => {
    expect(
      sourcesOutside('/p/dist/index.cjs.map', '/p', [
        '../src/a.ts',
        '../../../node_modules/tsup/assets/cjs_shims.js',
        'file:///home/build/src/a.ts',
        '../../p-other/src/b.ts',
      ]),
    ).toEqual([
      '../../../node_modules/tsup/assets/cjs_shims.js',
      'file:///home/build/src/a.ts',
      '../../p-other/src/b.ts',
    ]);
  });

  it('reports every problem of a package, naming the file', () => {
    const dir = fakePackage({
      'src/index.ts': "export { a } from './a.js';",
      'src/a.ts': 'export const a = 1;',
      'src/a.test.ts': "import { a } from './a.js';",
      'src/test-helpers.ts': "import { p } from '../../../tooling/testing/prng.js';",
      'dist/index.js.map': JSON.stringify({
        sources: ['../src/a.ts', '../../../node_modules/x.js'],
      }),
    });
    const files = [
      'dist/index.js.map',
      'src/a.test.ts',
      'src/a.ts',
      'src/index.ts',
      'src/test-helpers.ts',
    ];
    expect(packageProblems(dir, files)).toEqual([
      'ships a test or test helper: src/a.test.ts',
      'ships a test or test helper: src/test-helpers.ts',
      'ships an import of a file it lacks: src/test-helpers.ts → ../../../tooling/testing/prng.js',
      'source map dist/index.js.map names a file outside the package: ../../../node_modules/x.js',
    ]);
    expect(packageProblems(dir, ['src/a.ts', 'src/index.ts'])).toEqual([]);
  });

  it("lists a real package's tarball through npm pack, without its tests", () => {
    const files = packedFiles(join(repo, 'packages/random'));
    expect(files).toContain('package.json');
    expect(files).toContain('src/index.ts');
    expect(testFilesIn(files)).toEqual([]);
  });
});
