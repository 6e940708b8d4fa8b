import type { CliArgs } from './args.js';
import { COMMAND_LIST, findCommand } from './commands/index.js';
import { UsageError } from './errors.js';
import { type Command, parseCommandArguments } from './spec.js';

/** The commands `rpdl` knows (besides `help`). */
export const COMMANDS: readonly string[] = Object.freeze([
  ...COMMAND_LIST.map((c) => c.name),
  'help',
]);

/** Which command a command line is for, and the arguments after its name. */
export interface CommandSelection {
  /** The command, or undefined for `help` / `--version` (handled by the dispatcher). */
  command: Command<unknown> | undefined;
  /** The name errors refer to (`rpdl help <name>`); undefined for top-level mistakes. */
  name: string | undefined;
  rest: readonly string[];
}

/**
 * Picks the command of a command line: the first word, or `reproduce` when the line is empty or
 * starts with an option. Throws {@link UsageError} for an unknown command.
 *
 * @example
 * selectCommand(['report', 'runs/quick']).name; // 'report'
 */
export function selectCommand(argv: readonly string[]): CommandSelection {
  const [first, ...rest] = argv;
  if (first === undefined || (first.startsWith('-') && !isTopLevelFlag(first))) {
    return { command: findCommand('reproduce'), name: 'reproduce', rest: argv };
  }
  if (first === 'help' || isTopLevelFlag(first))
    return { command: undefined, name: undefined, rest };
  const command = findCommand(first);
  if (command === undefined) {
    throw new UsageError(`unknown command "${first}"; expected one of ${COMMANDS.join(', ')}`);
  }
  return { command, name: command.name, rest };
}

function isTopLevelFlag(arg: string): boolean {
  return ['--help', '-h', '--version', '-V'].includes(arg);
}

/**
 * Parses the `rpdl` command line (without the node and script paths) into typed arguments. No
 * command means `reproduce` with the quick profile's defaults. Throws {@link UsageError} with a
 * specific one-line message on any mistake.
 *
 * @example
 * parseCommandLine(['reproduce', '--experiment', '1', '--losses', 'dl,rpdl']);
 */
export function parseCommandLine(argv: readonly string[]): CliArgs {
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-V') {
    if (rest.length > 0)
      throw new UsageError(`${first} takes no arguments, got "${rest.join(' ')}"`);
    return { command: 'version' };
  }
  if (first === '--help' || first === '-h') return { command: 'help' };
  if (first === 'help') {
    const [topic, ...extra] = rest;
    if (topic !== undefined && findCommand(topic) === undefined) {
      throw new UsageError(`unknown command "${topic}"; expected one of ${COMMANDS.join(', ')}`);
    }
    if (extra.length > 0) throw new UsageError(`help takes one command, got "${rest.join(' ')}"`);
    return topic === undefined ? { command: 'help' } : { command: 'help', topic };
  }
  const { command, rest: commandArgs } = selectCommand(argv);
  const parsed = parseCommandArguments(command!, commandArgs);
  if (parsed.help) return { command: 'help', topic: command!.name };
  return command!.parse(parsed) as CliArgs;
}
