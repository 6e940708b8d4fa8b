import type { ProgressSink } from '@rpdl/training';

/** Where {@link ParallelProgress} draws, and whether results share the terminal with it. */
export interface ParallelProgressOptions {
  /** The progress stream (stderr). */
  sink: ProgressSink & { columns?: number };
  /** Number of workers, one status line each. */
  slots: number;
  /**
   * Whether the lines written through {@link ParallelProgress.print} land on the same terminal
   * as the status lines (stdout and stderr both TTYs): they are then printed above the board.
   */
  sharesTerminal: boolean;
}

const ESC = '\u001b';
// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal control sequences are the point.
const CONTROL = /\r|\u001b\[[0-9;]*[A-Za-z]/g;

/**
 * The progress of several workers on one stream. On a terminal every worker owns one status line,
 * redrawn in place (its run, epoch, bar and last losses); results printed meanwhile scroll above
 * the board. Elsewhere (logs, CI) each worker's complete lines are passed through whole, never
 * interleaved mid-line; they begin with the run id, so they stay attributable.
 *
 * @example
 * const board = new ParallelProgress({ sink: process.stderr, slots: 2, sharesTerminal: true });
 * board.write(0, '\rexp1/unet3d/dl/fold-0 epoch 1/40 [###---] 3/6 …');
 * board.print(() => process.stdout.write('[1/48] exp1/unet3d/dl/fold-0: …\n'));
 * board.close();
 */
export class ParallelProgress {
  private readonly status: string[];
  private readonly pending: string[];
  private drawn = 0;

  constructor(private readonly options: ParallelProgressOptions) {
    if (!Number.isInteger(options.slots) || options.slots < 1) {
      throw new RangeError(`slots must be a positive integer, got ${options.slots}`);
    }
    this.status = Array.from({ length: options.slots }, () => 'starting');
    this.pending = Array.from({ length: options.slots }, () => '');
  }

  /** Feeds a chunk of worker `slot`'s progress output (as its progress bar wrote it). */
  write(slot: number, text: string): void {
    this.checkSlot(slot);
    if (this.options.sink.isTTY) {
      // The bar redraws with '\r' and ends epochs with '\n'; the newest non-empty line is the status.
      const lines = text.split('\n').map((l) => l.replace(CONTROL, '').trimEnd());
      const latest = lines.filter((l) => l !== '').at(-1);
      if (latest !== undefined) this.setStatus(slot, latest);
      return;
    }
    const buffered = this.pending[slot] + text;
    const end = buffered.lastIndexOf('\n');
    if (end < 0) {
      this.pending[slot] = buffered;
      return;
    }
    this.options.sink.write(buffered.slice(0, end + 1));
    this.pending[slot] = buffered.slice(end + 1);
  }

  /** Replaces worker `slot`'s status line (e.g. "idle"). */
  setStatus(slot: number, text: string): void {
    this.checkSlot(slot);
    this.status[slot] = text;
    if (this.options.sink.isTTY) this.draw();
  }

  /** Runs `write`, which prints to the shared terminal, with the board kept below its output. */
  print(write: () => void): void {
    if (this.options.sink.isTTY && this.options.sharesTerminal) {
      this.clear();
      write();
      this.draw();
      return;
    }
    write();
  }

  /** Removes the board (terminal) or flushes unfinished lines (elsewhere). */
  close(): void {
    if (this.options.sink.isTTY) {
      this.clear();
      return;
    }
    for (const [slot, text] of this.pending.entries()) {
      if (text !== '') this.options.sink.write(`${text}\n`);
      this.pending[slot] = '';
    }
  }

  private draw(): void {
    // A pseudo-terminal may report 0 columns; assume a common width then.
    const width = Math.max(20, (this.options.sink.columns || 100) - 1);
    // Lines longer than the terminal would wrap and break the cursor arithmetic: cut them.
    const body = this.status
      .map((text, slot) => {
        const line = `job ${slot + 1}: ${text}`;
        return `\r${line.length > width ? `${line.slice(0, width - 1)}…` : line}${ESC}[K\n`;
      })
      .join('');
    this.options.sink.write(`${this.drawn > 0 ? `${ESC}[${this.drawn}A` : ''}${body}`);
    this.drawn = this.status.length;
  }

  private clear(): void {
    if (this.drawn === 0) return;
    this.options.sink.write(`${ESC}[${this.drawn}A\r${ESC}[J`);
    this.drawn = 0;
  }

  private checkSlot(slot: number): void {
    if (!Number.isInteger(slot) || slot < 0 || slot >= this.status.length) {
      throw new RangeError(`slot must be an integer in 0..${this.status.length - 1}, got ${slot}`);
    }
  }
}
