import { env } from '@tensorflow/tfjs-core';
import packageJson from '../../package.json' with { type: 'json' };
import { parseCommandLine, selectCommand } from './command-line.js';
import { COMMAND_LIST, findCommand } from './commands/index.js';
import { describeError, EXIT, exitStatusFor } from './exit-status.js';
import type { CliIo } from './io.js';
import { formatCommandHelp, formatOverview } from './spec.js';

/** The version `rpdl --version` prints. */
export const VERSION: string = packageJson.version;

/** `rpdl: <message>` or `rpdl <command>: <message>`, then where to read more. */
function errorLines(message: string, command: string | undefined): string {
  const prefix = command === undefined ? 'rpdl' : `rpdl ${command}`;
  const body = message.startsWith(`${prefix}: `) ? message : `${prefix}: ${message}`;
  return `${body}\nsee: rpdl help${command === undefined ? '' : ` ${command}`}\n`;
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandLine(argv);
  if (args.command === 'version') {
    io.stdout.write(`rpdl ${VERSION}\n`);
    return EXIT.ok;
  }
  if (args.command === 'help') {
    const topic = args.topic === undefined ? undefined : findCommand(args.topic);
    io.stdout.write(topic ? formatCommandHelp(topic) : formatOverview(COMMAND_LIST));
    return EXIT.ok;
  }
  // Production mode silences tfjs's console hints (e.g. "install tfjs-node"): the CLI prints
  // its own backend line, with install instructions when a requested backend is missing.
  env().set('PROD', true);
  return findCommand(args.command)!.run(args, io);
}

/** The command an error belongs to, for the `see: rpdl help <command>` line. */
function commandNameOf(argv: readonly string[]): string | undefined {
  try {
    return selectCommand(argv).name;
  } catch {
    return undefined;
  }
}

/**
 * Entry point of the `rpdl` binary; returns the exit code (0 ok, 1 failure, 2 usage error). Every
 * error is reported here, in one place: one line saying what was wrong (and what was expected),
 * then one line pointing to the command's help. `RPDL_DEBUG=1` adds the stack.
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: readonly string[], io?: Partial<CliIo>): Promise<number> {
  const streams: CliIo = {
    stdout: io?.stdout ?? process.stdout,
    stderr: io?.stderr ?? process.stderr,
    env: io?.env ?? process.env,
    ...(io?.importer ? { importer: io.importer } : {}),
  };
  try {
    return await dispatch(argv, streams);
  } catch (error) {
    streams.stderr.write(errorLines(describeError(error), commandNameOf(argv)));
    if (streams.env.RPDL_DEBUG === '1' && error instanceof Error && error.stack) {
      streams.stderr.write(`${error.stack}\n`);
    }
    return exitStatusFor(error);
  }
}
