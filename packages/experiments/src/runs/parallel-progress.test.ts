import { describe, expect, it } from 'vitest';
import { ParallelProgress } from './parallel-progress.js';

function sink(isTTY: boolean, columns?: number) {
  const chunks: string[] = [];
  return {
    chunks,
    text: () => chunks.join(''),
    sink: { isTTY, ...(columns === undefined ? {} : { columns }), write: (t: string) => chunks.push(t) },
  };
}

/** Replays cursor-up, carriage return, erase-line and erase-below on a list of screen lines. */
function screen(output: string): string[] {
  const lines: string[] = [''];
  let row = 0;
  let col = 0;
  const re = /\u001b\[(\d*)([AKJ])|\r|\n|[^\u001b\r\n]+/g;
  for (const m of output.matchAll(re)) {
    const token = m[0];
    if (token === '\r') col = 0;
    else if (token === '\n') {
      row += 1;
      col = 0;
      if (lines[row] === undefined) lines[row] = '';
    } else if (m[2] === 'A') row -= Number(m[1] || '1');
    else if (m[2] === 'K') lines[row] = lines[row]!.slice(0, col);
    else if (m[2] === 'J') {
      lines[row] = lines[row]!.slice(0, col);
      lines.length = row + 1;
    } else {
      const line = lines[row]!;
      lines[row] = line.slice(0, col) + token + line.slice(col + token.length);
      col += token.length;
    }
  }
  return lines.filter((l, i) => l !== '' || i < row);
}

describe('ParallelProgress on a terminal', () => {
  it('keeps one status line per worker, redrawn in place', () => {
    const s = sink(true);
    const board = new ParallelProgress({ sink: s.sink, slots: 2, sharesTerminal: true });
    board.write(0, '\rexp1/unet3d/dl/fold-0 epoch 1/9 [#---] 1/4\u001b[K');
    board.write(1, '\rexp1/unet3d/dl/fold-1 epoch 1/9 [#---] 1/4\u001b[K');
    board.write(0, '\rexp1/unet3d/dl/fold-0 epoch 1/9 [####] 4/4  loss 0.5\u001b[K\n');
    expect(screen(s.text())).toEqual([
      'job 1: exp1/unet3d/dl/fold-0 epoch 1/9 [####] 4/4  loss 0.5',
      'job 2: exp1/unet3d/dl/fold-1 epoch 1/9 [#---] 1/4',
    ]);
  });
  it('prints results above the board and removes the board on close', () => {
    const s = sink(true);
    const board = new ParallelProgress({ sink: s.sink, slots: 2, sharesTerminal: true });
    board.setStatus(0, 'run A');
    board.setStatus(1, 'run B');
    board.print(() => s.sink.write('[1/2] A: done\n'));
    expect(screen(s.text())).toEqual(['[1/2] A: done', 'job 1: run A', 'job 2: run B']);
    board.close();
    expect(screen(s.text())).toEqual(['[1/2] A: done']);
  });
  it('does not clear the board for output that goes elsewhere (stdout redirected)', () => {
    const s = sink(true);
    const board = new ParallelProgress({ sink: s.sink, slots: 1, sharesTerminal: false });
    board.setStatus(0, 'run A');
    const before = s.text();
    let printed = false;
    board.print(() => {
      printed = true;
    });
    expect(printed).toBe(true);
    expect(s.text()).toBe(before);
  });
  it('assumes 100 columns where the terminal reports none', () => {
    const s = sink(true, 0);
    const board = new ParallelProgress({ sink: s.sink, slots: 1, sharesTerminal: true });
    board.setStatus(0, 'y'.repeat(200));
    expect(screen(s.text())[0]).toHaveLength(99);
  });
  it('cuts lines to the terminal width so that they never wrap', () => {
    const s = sink(true, 30);
    const board = new ParallelProgress({ sink: s.sink, slots: 1, sharesTerminal: true });
    board.setStatus(0, 'x'.repeat(100));
    const [line] = screen(s.text());
    expect(line).toHaveLength(29);
    expect(line!.endsWith('…')).toBe(true);
  });
});

describe('ParallelProgress in a log', () => {
  it('passes whole lines through and never splices two workers mid-line', () => {
    const s = sink(false);
    const board = new ParallelProgress({ sink: s.sink, slots: 2, sharesTerminal: false });
    board.write(0, 'exp1/a epoch 1');
    board.write(1, 'exp1/b epoch 1 done\n');
    board.write(0, ' done\nexp1/a epoch 2');
    expect(s.chunks).toEqual(['exp1/b epoch 1 done\n', 'exp1/a epoch 1 done\n']);
    board.close();
    expect(s.chunks.at(-1)).toBe('exp1/a epoch 2\n');
  });
  it('rejects a slot that does not exist and a board without slots', () => {
    const s = sink(false);
    const board = new ParallelProgress({ sink: s.sink, slots: 2, sharesTerminal: false });
    expect(() => board.write(2, 'x')).toThrow('slot must be an integer in 0..1, got 2');
    expect(() => board.setStatus(-1, 'x')).toThrow(/got -1/);
    expect(() => new ParallelProgress({ sink: s.sink, slots: 0, sharesTerminal: false })).toThrow(
      'slots must be a positive integer, got 0',
    );
  });
});
