import { writeFileAtomic } from '@rpdl/atomic-fs';

/** One line of a run's training log. */
export interface EpochRecord {
  /** 1-based epoch number. */
  epoch: number;
  loss: number;
  valLoss: number;
  /** Learning rate used during this epoch. */
  lr: number;
  /** Wall-clock seconds of the epoch (training + validation). */
  time: number;
}

/** The CSV header of a training log. */
export const LOG_HEADER = 'epoch,loss,val_loss,lr,time';

/**
 * Formats a training history as CSV (`epoch,loss,val_loss,lr,time`), full precision.
 *
 * @example
 * formatLog([{ epoch: 1, loss: 0.9, valLoss: 0.8, lr: 1e-4, time: 12.5 }]);
 * // 'epoch,loss,val_loss,lr,time\n1,0.9,0.8,0.0001,12.5\n'
 */
export function formatLog(history: readonly EpochRecord[]): string {
  const rows = history.map((r) => [r.epoch, r.loss, r.valLoss, r.lr, r.time].join(','));
  return `${[LOG_HEADER, ...rows].join('\n')}\n`;
}

/**
 * Parses a log written by {@link formatLog}.
 *
 * @example
 * parseLog('epoch,loss,val_loss,lr,time\n1,0.9,0.8,0.0001,12.5\n')[0]?.valLoss; // 0.8
 */
export function parseLog(text: string): EpochRecord[] {
  const [header, ...lines] = text.trimEnd().split('\n');
  if (header !== LOG_HEADER)
    throw new Error(`not a training log: expected header "${LOG_HEADER}", got "${header}"`);
  return lines.map((line, i) => {
    const values = line.split(',').map(Number);
    if (values.length !== 5 || values.some((v) => Number.isNaN(v))) {
      throw new Error(`training log line ${i + 2} is malformed: "${line}"`);
    }
    const [epoch, loss, valLoss, lr, time] = values as [number, number, number, number, number];
    return { epoch, loss, valLoss, lr, time };
  });
}

/**
 * Rewrites the whole log atomically. The history lives in the epoch checkpoint, so rewriting it
 * (instead of appending) keeps the log consistent with the checkpoint after a kill.
 *
 * @example
 * await writeLog('runs/exp1/unet3d/dl/fold-0/log.csv', history);
 */
export async function writeLog(path: string, history: readonly EpochRecord[]): Promise<void> {
  await writeFileAtomic(path, formatLog(history));
}
