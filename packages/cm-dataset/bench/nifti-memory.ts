/**
 * Peak memory of reading `.nii.gz` files: a valid 160³ float32 volume (16 MiB inflated) and a
 * ~1 MB gzip bomb (a valid 364-byte NIfTI followed by 1 GiB of zeros). Each read runs in its
 * own process, which reports its peak resident set size (`process.resourceUsage().maxRSS`) and
 * its resident set just before the read.
 *
 *   pnpm --filter @rpdl/cm-dataset exec tsx --conditions=@rpdl/source bench/nifti-memory.ts [module]
 *
 * `module` (default `../src/volume-file.ts`) is the file whose `parseNifti` is measured, so
 * two implementations can be compared side by side in one run.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGzip, gzipSync } from 'node:zlib';
import { nifti } from '../test/nifti-fixture.js';

const self = fileURLToPath(import.meta.url);
const MiB = 2 ** 20;

if (process.argv[2] === '--child') {
  const [modulePath, file] = process.argv.slice(3) as [string, string];
  const { parseNifti } = (await import(modulePath)) as {
    parseNifti: (bytes: Uint8Array) => Promise<{ shape: number[] }>;
  };
  const bytes = await readFile(file);
  const before = process.memoryUsage().rss;
  const started = performance.now();
  let outcome: string;
  try {
    const v = await parseNifti(bytes);
    outcome = `read, shape (${v.shape.join(', ')})`;
  } catch (error) {
    outcome = `refused: ${(error as Error).message.slice(0, 70)}…`;
  }
  const ms = performance.now() - started;
  const peak = (process.resourceUsage().maxRSS * 1024) / MiB;
  console.log(JSON.stringify({ outcome, ms, before: before / MiB, peak }));
  process.exit(0);
}

const modulePath = resolve(process.argv[2] ?? join(self, '../../src/volume-file.ts'));
const dir = await mkdtemp(join(tmpdir(), 'nifti-memory-'));
try {
  const n = 160;
  const values: number[] = new Array(n ** 3);
  for (let i = 0; i < values.length; i++) values[i] = Math.round(Math.sin(i / 5000) * 100) / 4;
  const valid = join(dir, 'valid.nii.gz');
  await writeFile(
    valid,
    gzipSync(nifti({ dims: [n, n, n], datatype: 16, bitpix: 32, values }), { level: 6 }),
  );
  const bomb = join(dir, 'bomb.nii.gz');
  await new Promise<void>((done, fail) => {
    const gz = createGzip({ level: 9 });
    const out = createWriteStream(bomb);
    gz.pipe(out).on('finish', done).on('error', fail);
    gz.write(nifti({ dims: [2, 3, 2], datatype: 2, bitpix: 8, values: new Array(12).fill(1) }));
    const zeros = new Uint8Array(16 * MiB);
    let left = 64;
    const more = () => {
      while (left > 0) {
        left--;
        if (!gz.write(zeros)) return void gz.once('drain', more);
      }
      gz.end();
    };
    more();
  });
  console.log(`module: ${modulePath}`);
  console.log(
    `load average: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
  for (const [name, file] of [
    ['valid 160³ float32 (16 MiB inflated)', valid],
    ['bomb: 364-byte NIfTI + 1 GiB of zeros', bomb],
  ] as const) {
    const size = (await readFile(file)).byteLength;
    const line = execFileSync(
      process.execPath,
      [...process.execArgv, self, '--child', modulePath, file],
      { encoding: 'utf8' },
    );
    const r = JSON.parse(line.trim().split('\n').at(-1)!) as {
      outcome: string;
      ms: number;
      before: number;
      peak: number;
    };
    console.log(
      `${name}, ${(size / 1024).toFixed(0)} kB on disk: ${r.outcome} in ${r.ms.toFixed(0)} ms; RSS ${r.before.toFixed(0)} MiB before, peak ${r.peak.toFixed(0)} MiB (+${(r.peak - r.before).toFixed(0)} MiB)`,
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
