import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';

/**
 * What a package tarball must not contain, and what its shipped files must not point at:
 * tests and test helpers (they import files the tarball lacks), scratch folders of the README
 * doc-tests, relative imports of shipped sources that resolve to files the tarball lacks, and
 * source maps naming files outside the package (the build machine's paths).
 */

/** A file of the tarball (path relative to the package root, `/`-separated) that is a test or a test helper. */
const TEST_FILE = [
  /\.test\.[cm]?[jt]sx?$/,
  /\.spec\.[cm]?[jt]sx?$/,
  /(^|\/)test-helpers?\.[cm]?[jt]s$/,
  /(^|\/)(test|tests|__tests__|fixtures)\//,
  /(^|\/)\.readme-snippet-/,
];

/**
 * The tarball's files that are tests or test helpers.
 *
 * @example
 * testFilesIn(['src/a.ts', 'src/a.test.ts', 'src/test-helpers.ts']); // ['src/a.test.ts', 'src/test-helpers.ts']
 */
export function testFilesIn(files: readonly string[]): string[] {
  return files.filter((file) => TEST_FILE.some((pattern) => pattern.test(file)));
}

const RELATIVE_IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

/**
 * Relative imports of shipped TypeScript sources that resolve to no shipped file (`./x.js` may
 * be `x.ts` or `x.js`), as `file → specifier`.
 *
 * @example
 * danglingImports(new Map([['src/a.ts', "import { b } from './b.js';"]]), ['src/a.ts']); // ['src/a.ts → ./b.js']
 */
export function danglingImports(
  sources: ReadonlyMap<string, string>,
  files: readonly string[],
): string[] {
  const shipped = new Set(files);
  const dangling: string[] = [];
  for (const [file, text] of sources) {
    for (const match of text.matchAll(RELATIVE_IMPORT)) {
      const specifier = match[1]!;
      const target = posix.normalize(posix.join(posix.dirname(file), specifier));
      const candidates = [target, target.replace(/\.[cm]?js$/, (ext) => ext.replace('js', 'ts'))];
      candidates.push(`${target}.ts`, `${target}/index.ts`);
      if (!candidates.some((c) => shipped.has(c))) dangling.push(`${file} → ${specifier}`);
    }
  }
  return dangling;
}

/**
 * Sources of a source map (at `mapPath`, inside `packageDir`) that lie outside the package.
 *
 * @example
 * sourcesOutside('/p/dist/index.js.map', '/p', ['../src/a.ts', '../../../node_modules/x.js']); // ['../../../node_modules/x.js']
 */
export function sourcesOutside(
  mapPath: string,
  packageDir: string,
  sources: readonly string[],
): string[] {
  const root = resolve(packageDir) + sep;
  return sources.filter(
    (source) => /^[a-z]+:/i.test(source) || !resolve(dirname(mapPath), source).startsWith(root),
  );
}

/** The files `npm pack` would put in the package's tarball. */
export function packedFiles(packageDir: string): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: packageDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [report] = JSON.parse(out) as [{ files: { path: string }[] }];
  return report.files.map((f) => f.path.split(sep).join('/')).sort();
}

/**
 * Every problem of one package's tarball, each a line naming the file.
 *
 * @example
 * packageProblems('packages/losses'); // [] when the tarball is clean
 */
export function packageProblems(packageDir: string, files = packedFiles(packageDir)): string[] {
  const problems = testFilesIn(files).map((f) => `ships a test or test helper: ${f}`);
  const sources = new Map(
    files
      .filter((f) => /\.[cm]?ts$/.test(f) && !/\.d\.[cm]?ts$/.test(f))
      .map((f) => [f, readFileSync(join(packageDir, f), 'utf8')] as const),
  );
  problems.push(
    ...danglingImports(sources, files).map((d) => `ships an import of a file it lacks: ${d}`),
  );
  for (const file of files.filter((f) => f.endsWith('.map'))) {
    const mapPath = join(packageDir, file);
    const { sources: mapSources = [] } = JSON.parse(readFileSync(mapPath, 'utf8')) as {
      sources?: string[];
    };
    for (const source of sourcesOutside(mapPath, packageDir, mapSources)) {
      problems.push(`source map ${file} names a file outside the package: ${source}`);
    }
  }
  return problems;
}

/** The publishable (non-private) package folders under `packagesDir`. */
export function publishablePackages(packagesDir: string): string[] {
  return readdirSync(packagesDir)
    .map((name) => join(packagesDir, name))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .filter((dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private !== true);
}

// `tsx tooling/packaging/pack-contents.ts [packagesDir]`: checks every package after a build.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const packagesDir = resolve(process.argv[2] ?? 'packages');
  let failed = 0;
  for (const dir of publishablePackages(packagesDir)) {
    if (!existsSync(join(dir, 'dist'))) {
      console.error(`${relative(process.cwd(), dir)}: no dist/ (run pnpm build first)`);
      failed++;
      continue;
    }
    const problems = packageProblems(dir);
    for (const problem of problems) console.error(`${relative(process.cwd(), dir)}: ${problem}`);
    if (problems.length > 0) failed++;
    else console.log(`${relative(process.cwd(), dir)}: tarball clean`);
  }
  process.exit(failed > 0 ? 1 : 0);
}
