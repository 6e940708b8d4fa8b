// The doc-test helper itself (it lives in tooling/, which has no test project of its own).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  findMismatch,
  readmeSnippets,
  runSnippet,
} from '../../../tooling/testing/readme-doctest.js';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

describe('readme doc-test helper', () => {
  it('extracts ```ts blocks with their line and their // → texts', () => {
    const markdown = [
      '# title', // 1
      '```sh', // 2
      'pnpm add x', // 3
      '```', // 4
      '```ts', // 5
      'console.log(1 + 1); // → 2', // 6
      'const a = 3; // a comment', // 7
      '```', // 8
      '```ts', // 9
      'console.log([1, 2]);', // 10
      '// → [1, 2]', // 11
      '```', // 12
    ].join('\n');
    const snippets = readmeSnippets(markdown);
    expect(snippets.map((s) => [s.index, s.line, s.expected])).toEqual([
      [1, 5, ['2']],
      [2, 9, ['[1, 2]']],
    ]);
    expect(snippets[0]!.code).toBe('console.log(1 + 1); // → 2\nconst a = 3; // a comment');
    expect(() => readmeSnippets('```ts\nconst a = 1;\n')).toThrow(/unclosed ```ts block at line 1/);
  });

  it('marks ```ts no-run blocks and refuses other TypeScript fence info strings', () => {
    const snippets = readmeSnippets(
      ['```ts no-run', 'await fetch("https://example.org");', '```', '```ts', '1;', '```'].join(
        '\n',
      ),
    );
    expect(snippets.map((s) => [s.index, s.line, s.noRun ?? false])).toEqual([
      [1, 1, true],
      [2, 4, false],
    ]);
    expect(() => readmeSnippets('```ts skip\n1;\n```')).toThrow(
      'line 1: unknown fence "```ts skip": use ```ts or ```ts no-run',
    );
    expect(() => readmeSnippets('```typescript\n1;\n```')).toThrow(/unknown fence "```typescript"/);
  });

  it('runs snippets in a shared working directory when given one, so later ones see earlier files', () => {
    const workDir = mkdtempSync(join(packageDir, '.readme-snippet-'));
    try {
      const write = runSnippet(
        {
          index: 1,
          line: 1,
          code: "import { writeFileSync } from 'node:fs';\nwriteFileSync('note.txt', 'kept');",
          expected: [],
        },
        packageDir,
        60_000,
        workDir,
      );
      expect(write.status).toBe(0);
      const read = runSnippet(
        {
          index: 2,
          line: 5,
          code: "import { readFileSync } from 'node:fs';\nconsole.log(readFileSync('note.txt', 'utf8'));",
          expected: [],
        },
        packageDir,
        60_000,
        workDir,
      );
      expect(read.status).toBe(0);
      expect(read.stdout.trim()).toBe('kept');
      expect(existsSync(join(workDir, 'snippet-2.mts'))).toBe(true);
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  });

  it('matches expected texts in order, ignoring whitespace', () => {
    const output = 'Float32Array(2) [ 1, 0.5 ]\n[\n  2,\n  3\n]\n';
    expect(findMismatch(output, ['Float32Array(2) [1, 0.5]', '[2, 3]'])).toBeUndefined();
    expect(findMismatch(output, ['[2, 3]', 'Float32Array(2) [1, 0.5]'])).toMatch(
      /contain "Float32Array\(2\) \[1, 0.5\]"/,
    );
    expect(findMismatch(output, ['[2, 4]'])).toMatch(/contain "\[2, 4\]"/);
  });

  it('runs a snippet as an ES module in the package, reporting its exit code and output', () => {
    const ok = runSnippet(
      {
        index: 1,
        line: 1,
        code: "import { countAnnotations } from '@rpdl/rpmap';\nconsole.log(countAnnotations([[1, 0]]));",
        expected: [],
      },
      packageDir,
    );
    expect(ok.status).toBe(0);
    expect(findMismatch(ok.stdout, ['Uint16Array(2) [1, 0]'])).toBeUndefined();
    const failing = runSnippet(
      {
        index: 2,
        line: 1,
        code: "import { rewardPenaltyMap } from '@rpdl/rpmap';\nrewardPenaltyMap([]);",
        expected: [],
      },
      packageDir,
    );
    expect(failing.status).toBe(1);
    expect(failing.stderr).toMatch(/non-empty list/);
  });
});
