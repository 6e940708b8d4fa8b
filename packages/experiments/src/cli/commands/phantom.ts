import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { generatePhantom, writeCmDataset } from '@rpdl/cm-dataset';
import { LIMITS, type PhantomArgs, parseInteger, parsePhantomSize, stringOption } from '../args.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import type { Command } from '../spec.js';

/**
 * `rpdl phantom`: writes the synthetic CM phantom as x9_7.npy and y9_7.npy.
 *
 * @example
 * await phantom({ command: 'phantom', out: 'data/phantom', size: 64, seed: 2020, bones: 9, surgeons: 7 }, io);
 */
export async function phantom(args: PhantomArgs, io: CliIo): Promise<number> {
  const dataset = generatePhantom({
    size: args.size,
    seed: args.seed,
    bones: args.bones,
    surgeons: args.surgeons,
  });
  await mkdir(args.out, { recursive: true });
  await writeCmDataset(args.out, dataset);
  io.stdout.write(
    `wrote ${join(args.out, 'x9_7.npy')} and ${join(args.out, 'y9_7.npy')}: ${args.bones * args.surgeons} rows of ${args.size}³ (${args.bones} bones × ${args.surgeons} surgeons, seed ${args.seed})\n`,
  );
  return 0;
}

/** `rpdl phantom`: the command's spec, parser and handler. */
export const phantomCommand: Command<PhantomArgs> = {
  name: 'phantom',
  summary: 'write the synthetic CM phantom as x9_7.npy / y9_7.npy',
  synopsis: 'phantom --out <dir> [options]',
  options: {
    out: { type: 'string', value: '<dir>', help: 'where x9_7.npy and y9_7.npy go (required)' },
    size: { type: 'string', value: '16|32|64', help: 'edge length (default 64)' },
    seed: { type: 'string', value: '<n>', help: `seed, 0..${LIMITS.seed} (default 2020)` },
    bones: { type: 'string', value: '<n>', help: 'bones, 2..64 (default 9)' },
    surgeons: { type: 'string', value: '<n>', help: 'surgeons per bone, 2..64 (default 7)' },
  },
  parse({ values }) {
    const out = stringOption(values, 'out');
    if (out === undefined) {
      throw new UsageError(
        '--out <dir> is required; expected the directory for x9_7.npy and y9_7.npy',
      );
    }
    const int = (key: string, fallback: number, min: number, max: number) => {
      const text = stringOption(values, key);
      return text === undefined ? fallback : parseInteger(`--${key}`, text, min, max);
    };
    const size = stringOption(values, 'size');
    return {
      command: 'phantom',
      out,
      size: size === undefined ? 64 : parsePhantomSize('--size', size),
      seed: int('seed', 2020, 0, LIMITS.seed),
      bones: int('bones', 9, 2, 64),
      surgeons: int('surgeons', 7, 2, 64),
    };
  },
  run: phantom,
};
