/** A flag the program does not accept, or a value it cannot use. */
export class UsageError extends Error {
  override name = 'UsageError';
}
