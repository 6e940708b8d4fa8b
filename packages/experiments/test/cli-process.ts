import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** A CLI process started from the sources, with its collected output. */
export interface CliProcess {
  child: ChildProcess;
  done: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>;
}

/**
 * Starts `rpdl <args>` in a child process (sources through tsx, workspace packages through the
 * `@rpdl/source` condition), so tests exercise the real entry point, exit codes and signals.
 */
export function startCli(args: readonly string[], env: Record<string, string> = {}): CliProcess {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@rpdl/source',
      '--import',
      'tsx',
      join(packageRoot, 'test', 'run-cli.ts'),
      ...args,
    ],
    { cwd: packageRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

/** Runs `rpdl <args>` to completion. */
export async function runCli(args: readonly string[], env: Record<string, string> = {}) {
  return startCli(args, env).done;
}
