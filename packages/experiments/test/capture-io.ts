/**
 * In-memory stdout/stderr for calling the CLI's `main(argv, io)` in-process: tests read back
 * what a user would have seen, with an empty environment.
 */
export function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
      env: {},
    },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}
