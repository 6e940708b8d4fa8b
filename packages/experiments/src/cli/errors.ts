/**
 * A mistake in how the CLI was called (unknown flag, malformed value). The CLI prints its message
 * followed by the usage text and exits with status 2, unlike runtime failures (status 1).
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
