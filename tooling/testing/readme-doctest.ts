import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Doc-tests for READMEs: every ```ts block is run as written, as its own ES module in the
 * package's folder (so the package's own name and its dependencies resolve as for a user, to the
 * TypeScript sources through the `@rpdl/source` condition), and must exit with code 0. A
 * `// → text` comment in a block states a line the block prints: the stated texts must appear in
 * the output in order, compared without whitespace (so `[1, 0.5]` matches node's `[ 1, 0.5 ]`).
 *
 * The blocks of one README run in order in one scratch working directory, so a block may read
 * the files an earlier block wrote (relative paths), as in a reader's own terminal.
 *
 * A block fenced as ```ts no-run is not run (its test is reported as skipped): for the few that
 * cannot run here (they fetch from the network, need a trained run or take minutes). The README
 * should say near such a block why it does not run in the test.
 */

export interface Snippet {
  /** 1-based position among the README's ```ts blocks. */
  index: number;
  /** 1-based line of the opening fence in the README. */
  line: number;
  code: string;
  /** The texts of the block's `// → text` comments, in order. */
  expected: string[];
  /** True for a block fenced as ```ts no-run: extracted, never run. */
  noRun?: boolean;
}

const ARROW = /\/\/ → (.+)$/;
/** The fence info strings of a TypeScript block: run, or marked as not runnable here. */
const TS_FENCE = /^```ts(?:\s+(no-run))?$/;

/**
 * The ```ts blocks of a markdown text.
 *
 * @example
 * readmeSnippets('```ts\nconsole.log(2); // → 2\n```'); // [{ index: 1, line: 1, code: …, expected: ['2'] }]
 */
export function readmeSnippets(markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = TS_FENCE.exec(lines[i]!.trim());
    if (fence === null) {
      if (/^```(ts|typescript)\b/.test(lines[i]!.trim())) {
        throw new Error(
          `line ${i + 1}: unknown fence "${lines[i]!.trim()}": use \`\`\`ts or \`\`\`ts no-run`,
        );
      }
      continue;
    }
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i]!.trim() !== '```'; i++) body.push(lines[i]!);
    if (i === lines.length) throw new Error(`unclosed \`\`\`ts block at line ${start + 1}`);
    const expected = body.flatMap((l) => {
      const m = ARROW.exec(l);
      return m === null ? [] : [m[1]!.trim()];
    });
    snippets.push({
      index: snippets.length + 1,
      line: start + 1,
      code: body.join('\n'),
      expected,
      ...(fence[1] === 'no-run' ? { noRun: true } : {}),
    });
  }
  return snippets;
}

/**
 * Where the expected texts fail to appear, in order, in `output` (whitespace ignored on both
 * sides); undefined when they all do.
 *
 * @example
 * findMismatch('Float32Array(2) [ 1, 0.5 ]\n', ['Float32Array(2) [1, 0.5]']); // undefined
 */
export function findMismatch(output: string, expected: readonly string[]): string | undefined {
  const haystack = output.replace(/\s+/g, '');
  let from = 0;
  for (const text of expected) {
    const needle = text.replace(/\s+/g, '');
    const at = haystack.indexOf(needle, from);
    if (at < 0) return `expected the output to contain "${text}" (after the previous one)`;
    from = at + needle.length;
  }
  return undefined;
}

export interface SnippetRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs one snippet with tsx as `snippet-N.mts`. Without `workDir`, in a fresh
 * `.readme-snippet-…` folder of the package (removed afterwards); with it, in `workDir` (a
 * folder inside the package, kept, so later snippets see what this one wrote).
 *
 * @example
 * const { status, stdout } = runSnippet(readmeSnippets(markdown)[0]!, packageDir);
 */
export function runSnippet(
  snippet: Snippet,
  packageDir: string,
  timeoutMs = 120_000,
  workDir?: string,
): SnippetRun {
  const require = createRequire(import.meta.url);
  const tsx = join(dirname(require.resolve('tsx/package.json')), 'dist', 'cli.mjs');
  const folder = workDir ?? scratchFolder(packageDir);
  try {
    const file = join(folder, `snippet-${snippet.index}.mts`);
    writeFileSync(file, `${snippet.code}\n`);
    const run = spawnSync(process.execPath, [tsx, '--conditions=@rpdl/source', file], {
      cwd: folder,
      encoding: 'utf8',
      timeout: timeoutMs,
    });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  } finally {
    if (workDir === undefined) rmSync(folder, { recursive: true, force: true });
  }
}

/** A fresh scratch folder inside the package, so module resolution starts from the package. */
function scratchFolder(packageDir: string): string {
  return mkdtempSync(join(packageDir, '.readme-snippet-'));
}

export interface DescribeReadmeOptions {
  /** The markdown file, default `<packageDir>/README.md` (e.g. the root README, run in a package that has its dependencies). */
  readme?: string;
}

/**
 * Registers one vitest test per ```ts block of `<packageDir>/README.md` (or `options.readme`),
 * run in order in one scratch working directory inside `packageDir`; ```ts no-run blocks are
 * registered as skipped.
 *
 * @example
 * // packages/<name>/test/readme.test.ts
 * describeReadme(resolve(dirname(fileURLToPath(import.meta.url)), '..'));
 */
export function describeReadme(
  packageDir: string,
  timeoutMs = 120_000,
  options: DescribeReadmeOptions = {},
): void {
  const readme = options.readme ?? join(packageDir, 'README.md');
  const snippets = readmeSnippets(readFileSync(readme, 'utf8'));
  describe(`${readme} snippets run as written`, () => {
    let workDir: string | undefined;
    beforeAll(() => {
      workDir = scratchFolder(packageDir);
    });
    afterAll(() => {
      if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
    });
    it('has snippets', () => {
      expect(snippets.length).toBeGreaterThan(0);
    });
    for (const snippet of snippets) {
      const name = `block ${snippet.index} (line ${snippet.line})`;
      if (snippet.noRun === true) {
        it.skip(`${name}: fenced ts no-run`, () => {});
        continue;
      }
      it(name, { timeout: timeoutMs + 10_000 }, () => {
        const run = runSnippet(snippet, packageDir, timeoutMs, workDir);
        const report = `\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
        expect(run.status, `exit code${report}`).toBe(0);
        expect(findMismatch(run.stdout, snippet.expected), report).toBeUndefined();
      });
    }
  });
}
