import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

/** Every module reachable from `file` through relative imports, with its import specifiers. */
function reachable(file: string, seen = new Map<string, string[]>()): Map<string, string[]> {
  if (seen.has(file)) return seen;
  const source = readFileSync(file, 'utf8');
  const specifiers = [...source.matchAll(/^(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map(
    (m) => m[1]!,
  );
  seen.set(file, specifiers);
  for (const s of specifiers) {
    if (s.startsWith('.')) reachable(resolve(dirname(file), s.replace(/\.js$/, '.ts')), seen);
  }
  return seen;
}

it('the @rpdl/losses/metrics entry reaches no tfjs module', () => {
  const entry = resolve(dirname(fileURLToPath(import.meta.url)), '../metrics.ts');
  const modules = reachable(entry);
  expect(modules.size).toBeGreaterThan(2);
  for (const [file, specifiers] of modules) {
    for (const s of specifiers) {
      expect(s.startsWith('.'), `${file} imports ${s}`).toBe(true);
    }
  }
});
