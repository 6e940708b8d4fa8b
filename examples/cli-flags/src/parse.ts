import { parseArgs } from 'node:util';
import { UsageError } from './usage-error.js';

/** One flag: a boolean switch or a flag with a string value, optionally with a one-letter alias. */
export interface FlagSpec {
  type: 'boolean' | 'string';
  short?: string;
}

/** The parsed values of flags `O`: absent flags are undefined. */
export type FlagValues<O extends Record<string, FlagSpec>> = {
  [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string;
};

/**
 * Parses an example's command line strictly (no unknown flags, no positionals). A leading `--`
 * (what `pnpm start -- --smoke` passes on) is ignored. Node's parse errors become
 * {@link UsageError}s.
 *
 * @throws UsageError on an unknown flag, a missing value or a positional argument.
 * @example
 * parseStrictFlags(['--', '--smoke'], { smoke: { type: 'boolean' } }).smoke; // true
 */
export function parseStrictFlags<const O extends Record<string, FlagSpec>>(
  argv: readonly string[],
  options: O,
): FlagValues<O> {
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false })
      .values as FlagValues<O>;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
