import { join } from 'node:path';
import { writeFigures } from '../../report/figures.js';
import { writeReport } from '../../report/report-files.js';
import type { ReportArgs } from '../args.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import type { Command } from '../spec.js';

/**
 * `rpdl report <out>`: merges all shards' runs, writes report.md/.csv/.json and the figures, and
 * prints Tables I–IV.
 *
 * @example
 * await report({ command: 'report', out: 'runs/quick' }, io);
 */
export async function report(args: ReportArgs, io: CliIo): Promise<number> {
  const { markdown } = await writeReport(args.out);
  const figures = await writeFigures(args.out);
  io.stdout.write(markdown);
  io.stdout.write(
    `\nwritten: ${['report.md', 'report.csv', 'report.json', 'report.html'].map((f) => join(args.out, f)).join(', ')}` +
      `${figures.length > 0 ? `, ${figures.length} figure(s) under ${join(args.out, 'figures')}` : ''}\n`,
  );
  return 0;
}

/** `rpdl report`: the command's spec, parser and handler. */
export const reportCommand: Command<ReportArgs> = {
  name: 'report',
  summary: 'Tables I–IV, verdicts (Markdown, CSV, JSON, HTML) and figures from finished runs',
  synopsis: 'report <out>',
  positionals: [{ name: '<out>', help: 'the --out directory of one or more reproduce processes' }],
  options: {},
  notes: `Merges every finished run under <out> (from any number of shards) and writes report.md,
report.csv, report.json, report.html and figures/*.png there; prints Tables I–IV.`,
  parse({ positionals }) {
    const [out] = positionals;
    if (out === undefined) {
      throw new UsageError('missing the output directory; expected e.g. rpdl report runs/quick');
    }
    return { command: 'report', out };
  },
  run: report,
};
