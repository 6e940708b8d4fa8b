const USAGE = `rpdl — reproduce the RPDL paper's cross-validation studies

Usage:
  rpdl reproduce [options]   run Experiment 1 and/or 2 (default: the quick profile)
  rpdl report <out>          tables I-IV from finished runs
  rpdl baseline              Experiment 2's surgeon baseline from the data alone
  rpdl phantom               write the synthetic CM phantom files
  rpdl predict               drilled-region prediction for a new bone
`;

/** Entry point of the `rpdl` binary; returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  process.stderr.write(`rpdl: unknown command "${command}"\n\n${USAGE}`);
  return 2;
}
