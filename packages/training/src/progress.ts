/** Where the progress bar writes; a TTY gets a redrawn line, anything else one line per epoch. */
export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * Formats seconds as m:ss or h:mm:ss.
 *
 * @example
 * formatDuration(75); // '1:15'
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/**
 * One epoch's progress line: bar, steps, samples/s and the estimated time left.
 *
 * @example
 * progressLine({ label: 'epoch 2/8', done: 3, total: 6, samples: 24, elapsed: 6, width: 10 });
 * // 'epoch 2/8 [#####-----] 3/6  4.0 samples/s  ETA 0:06'
 */
export function progressLine(p: {
  label: string;
  done: number;
  total: number;
  samples: number;
  elapsed: number;
  width?: number;
}): string {
  const width = p.width ?? 24;
  const fraction = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
  const filled = Math.round(fraction * width);
  const rate = p.elapsed > 0 ? p.samples / p.elapsed : 0;
  const eta = p.done > 0 ? (p.elapsed / p.done) * (p.total - p.done) : Number.NaN;
  return `${p.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${p.done}/${p.total}  ${rate.toFixed(1)} samples/s  ETA ${formatDuration(eta)}`;
}

/**
 * A progress bar for one epoch at a time. On a TTY the line is redrawn in place after every
 * step; otherwise (logs, CI) nothing is printed until {@link ProgressBar.finish}.
 *
 * @example
 * const bar = new ProgressBar(process.stderr);
 * bar.start('epoch 1/8', 6);
 * bar.step(8); // after each batch of 8 samples
 * bar.finish('loss 0.41 val_loss 0.39');
 */
export class ProgressBar {
  private label = '';
  private total = 0;
  private done = 0;
  private samples = 0;
  private started = 0;

  constructor(
    private readonly sink: ProgressSink | undefined,
    private readonly now: () => number = () => performance.now() / 1000,
  ) {}

  start(label: string, total: number): void {
    this.label = label;
    this.total = total;
    this.done = 0;
    this.samples = 0;
    this.started = this.now();
  }

  step(samples: number): void {
    this.done += 1;
    this.samples += samples;
    if (this.sink?.isTTY) this.sink.write(`\r${this.line()}\u001b[K`);
  }

  /** Ends the epoch's line with a summary. */
  finish(summary: string): void {
    if (!this.sink) return;
    this.sink.write(
      `${this.sink.isTTY ? '\r' : ''}${this.line()}  ${summary}${this.sink.isTTY ? '\u001b[K' : ''}\n`,
    );
  }

  private line(): string {
    return progressLine({
      label: this.label,
      done: this.done,
      total: this.total,
      samples: this.samples,
      elapsed: this.now() - this.started,
    });
  }
}
