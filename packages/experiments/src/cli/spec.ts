import { UsageError } from './errors.js';
import type { CliIo } from './io.js';

/** One option of a command: how it parses and what its help line says. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  /** One-letter alias, without the dash (e.g. `q` for `-q`). */
  short?: string;
  /** Placeholder of the value in the help text, e.g. `<n>` or `1|2|both`. */
  value?: string;
  help: string;
}

/** A command's options by long name (without the leading `--`). */
export type OptionsSpec = Readonly<Record<string, OptionSpec>>;

/** A positional argument of a command, for its help text and arity check. */
export interface PositionalSpec {
  name: string;
  help: string;
}

/** What {@link parseOptions} found on a command line. */
export interface ParsedOptions {
  values: Readonly<Record<string, string | boolean | undefined>>;
  positionals: readonly string[];
  /** `--help` or `-h` was given. */
  help: boolean;
}

/**
 * One `rpdl` command: its option spec (which both the parser and the help text read, so the two
 * cannot drift), how it turns parsed options into typed arguments, and its handler.
 */
export interface Command<A> {
  name: string;
  /** One line for the command list of `rpdl help`. */
  summary: string;
  /** The synopsis after `rpdl`, e.g. `report <out>`. */
  synopsis: string;
  positionals?: readonly PositionalSpec[];
  options: OptionsSpec;
  /** Paragraphs printed after the options. */
  notes?: string;
  /** Typed arguments from the parsed command line; throws {@link UsageError} on a mistake. */
  parse(parsed: ParsedOptions): A;
  /** Runs the command; resolves to the exit code. */
  run(args: A, io: CliIo): Promise<number>;
}

/** The option every command accepts. */
const HELP_OPTION: OptionSpec = { type: 'boolean', short: 'h', help: 'show this help' };

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/**
 * The closest of `candidates` to a mistyped word, when one is close enough to be a likely typo.
 *
 * @example
 * closestMatch('epoch', ['epochs', 'seed']); // 'epochs'
 */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

function unknownOption(flag: string, options: OptionsSpec): UsageError {
  const names = Object.keys(options);
  const guess = closestMatch(flag.replace(/^-+/, ''), names);
  return new UsageError(
    guess === undefined
      ? `unknown option ${flag}; expected one of ${names.map((n) => `--${n}`).join(', ')}`
      : `unknown option ${flag}; did you mean --${guess}?`,
  );
}

/**
 * Parses a command's arguments against its option spec. Our own tokenizer rather than
 * `util.parseArgs`, so that every mistake gets our message and a string option takes the next
 * argument even when it starts with `-` (`--epochs -1` reaches the range check instead of being
 * read as an unknown flag `-1`). `--name=value`, `--name value`, `-x value` and `--` (the end of
 * options) are understood; an option given twice is a mistake.
 *
 * @example
 * parseOptions({ out: { type: 'string', help: '' } }, ['--out', 'runs'], 0).values.out; // 'runs'
 */
export function parseOptions(
  options: OptionsSpec,
  argv: readonly string[],
  maxPositionals: number,
): ParsedOptions {
  const all: OptionsSpec = { ...options, help: HELP_OPTION };
  const byShort = new Map(
    Object.entries(all).flatMap(([name, spec]) =>
      spec.short === undefined ? [] : [[spec.short, name] as const],
    ),
  );
  const values: Record<string, string | boolean | undefined> = {};
  const positionals: string[] = [];
  let optionsEnded = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (optionsEnded || arg === '-' || !arg.startsWith('-') || /^-\d/.test(arg)) {
      positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      optionsEnded = true;
      continue;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq < 0 ? undefined : arg.slice(eq + 1);
      if (!(name in all)) throw unknownOption(`--${name}`, options);
    } else {
      name = arg.length === 2 ? byShort.get(arg[1]!) : undefined;
      if (name === undefined) throw unknownOption(arg, options);
    }
    const spec = all[name]!;
    const flag = `--${name}`;
    if (values[name] !== undefined) throw new UsageError(`${flag} is given twice; give it once`);
    if (spec.type === 'boolean') {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value, got "${inline}"`);
      values[name] = true;
      continue;
    }
    const value = inline ?? argv[i + 1];
    const expected = spec.value ?? '<value>';
    if (value === undefined) throw new UsageError(`${flag} needs a value ${expected}`);
    if (inline === undefined) {
      if (value.startsWith('--')) {
        throw new UsageError(`${flag} needs a value ${expected}, got the option ${value}`);
      }
      i += 1;
    }
    values[name] = value;
  }
  const help = values.help === true;
  delete values.help;
  if (!help && positionals.length > maxPositionals) {
    const extra = positionals.slice(maxPositionals).join(' ');
    throw new UsageError(
      maxPositionals === 0
        ? `unexpected argument(s) "${extra}"; this command takes options only`
        : `unexpected argument(s) "${extra}"; expected at most ${maxPositionals}`,
    );
  }
  return { values, positionals, help };
}

/**
 * Parses a command line for one command (its own spec plus `--help`).
 *
 * @example
 * parseCommandArguments(reportCommand, ['runs/quick']);
 */
export function parseCommandArguments<A>(
  command: Command<A>,
  argv: readonly string[],
): ParsedOptions {
  return parseOptions(command.options, argv, command.positionals?.length ?? 0);
}

function columns(rows: ReadonlyArray<readonly [string, string]>, indent = '  '): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `${indent}${left.padEnd(width)}  ${right}`.trimEnd());
}

/**
 * The help text of a command, generated from the same spec the parser uses.
 *
 * @example
 * formatCommandHelp(reportCommand); // 'Usage: rpdl report <out>\n…'
 */
export function formatCommandHelp(command: Command<unknown>): string {
  const lines = [`Usage: rpdl ${command.synopsis}`, '', `  ${command.summary}`];
  if (command.positionals && command.positionals.length > 0) {
    lines.push('', 'Arguments:', ...columns(command.positionals.map((p) => [p.name, p.help])));
  }
  const rows = Object.entries({ ...command.options, help: HELP_OPTION }).map(
    ([name, spec]) =>
      [
        `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.value ? ` ${spec.value}` : ''}`,
        spec.help,
      ] as const,
  );
  lines.push('', 'Options:', ...columns(rows));
  if (command.notes) lines.push('', command.notes.trimEnd());
  return `${lines.join('\n')}\n`;
}

/**
 * The overview `rpdl help` prints: every command's synopsis and summary.
 *
 * @example
 * formatOverview([reportCommand]);
 */
export function formatOverview(commands: readonly Command<unknown>[]): string {
  return [
    "rpdl — reproduce the RPDL paper's cross-validation studies (Tables I–IV)",
    '',
    'Usage:',
    ...columns([
      ...commands.map((c) => [`rpdl ${c.synopsis}`, c.summary] as const),
      ['rpdl help <command>', 'the options of one command'],
      ['rpdl --version', 'the version of rpdl'],
    ]),
    '',
    'Exit status: 0 success, 1 failure, 2 usage error.',
    '',
  ].join('\n');
}
