// The doc-test helper itself (it lives in tooling/, which has no test project of its own).
import { dirname, resolve } from 'node:path';
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
