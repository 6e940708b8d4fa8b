import { ManifestMismatchError, ManifestMissingError } from '../grid/manifest.js';
import { ShardSpecError } from '../grid/shard.js';
import { UsageError } from './errors.js';

/** Exit status of `rpdl`: 0 success, 1 failure, 2 usage error. */
export const EXIT = Object.freeze({ ok: 0, failure: 1, usage: 2 });

/**
 * Errors that mean "called wrongly" (exit 2) rather than "failed while working" (exit 1): the
 * CLI's own, and the domain errors below it whose cause is always an argument or a directory the
 * caller chose. Everything else exits 1.
 */
const USAGE_ERRORS: ReadonlyArray<abstract new (...args: never[]) => Error> = [
  UsageError,
  ShardSpecError,
  ManifestMismatchError,
  ManifestMissingError,
];

/**
 * The exit status for an error (the one place that maps errors to exit codes).
 *
 * @example
 * exitStatusFor(new UsageError('--epochs must be …')); // 2
 */
export function exitStatusFor(error: unknown): number {
  return USAGE_ERRORS.some((type) => error instanceof type) ? EXIT.usage : EXIT.failure;
}

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EMFILE: 'too many open files',
};

/**
 * One line describing an error for the terminal. File-system errors name the path and say in
 * words what failed; other errors keep their own message.
 *
 * @example
 * describeError(Object.assign(new Error('…'), { code: 'ENOSPC', syscall: 'write', path: 'a.ckpt' }));
 * // 'cannot write a.ckpt: no space left on device (ENOSPC)'
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code, syscall, path } = error as NodeJS.ErrnoException;
  if (typeof code === 'string' && code in ERRNO_TEXT && typeof path === 'string') {
    const verb =
      syscall === 'open' || syscall === 'read' || syscall === 'stat' || syscall === 'scandir'
        ? 'read'
        : syscall === 'mkdir'
          ? 'create the directory'
          : 'write';
    return `cannot ${verb} ${path}: ${ERRNO_TEXT[code]} (${code})`;
  }
  return error.message;
}
