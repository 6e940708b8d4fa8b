import type { Command } from '../spec.js';
import { baselineCommand } from './baseline.js';
import { exportCommand } from './export.js';
import { phantomCommand } from './phantom.js';
import { predictCommand } from './predict.js';
import { reportCommand } from './report.js';
import { reproduceCommand } from './reproduce.js';

/** Every `rpdl` command, in the order `rpdl help` lists them. */
export const COMMAND_LIST: readonly Command<unknown>[] = Object.freeze([
  reproduceCommand,
  reportCommand,
  baselineCommand,
  phantomCommand,
  predictCommand,
  exportCommand,
]);

/**
 * The command of a name, or undefined.
 *
 * @example
 * findCommand('report')?.synopsis; // 'report <out>'
 */
export function findCommand(name: string): Command<unknown> | undefined {
  return COMMAND_LIST.find((c) => c.name === name);
}
