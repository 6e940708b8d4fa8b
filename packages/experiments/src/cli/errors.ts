/**
 * A mistake in how the CLI was called (unknown flag, malformed value, a flag combination that
 * cannot work). The CLI prints its message on one line, points to `rpdl help <command>` and exits
 * with status 2, unlike runtime failures (status 1).
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
