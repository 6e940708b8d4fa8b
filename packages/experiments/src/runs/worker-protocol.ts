import type { BackendName } from '../cli/args.js';
import type { RunSpec } from '../grid/grid.js';
import type { Profile } from '../grid/profiles.js';
import type { DatasetSource } from './dataset-source.js';
import type { RunMetrics } from './run-dir.js';

/** Everything a worker needs to train any run of the grid; sent once, right after it starts. */
export interface WorkerSetup {
  backend: BackendName;
  source: DatasetSource;
  profile: Profile;
  seed: number;
  out: string;
  resume: boolean;
  /** Whether to report progress at all (`--quiet` turns it off). */
  progress: boolean;
  /** Whether the parent's progress stream is a terminal (the bar then redraws in place). */
  isTTY: boolean;
}

/** Messages from the parent to a worker. */
export type ParentMessage =
  | { type: 'setup'; setup: WorkerSetup }
  | { type: 'run'; index: number; run: RunSpec };

/** Messages from a worker to the parent. */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'progress'; text: string }
  | { type: 'done'; index: number; status: 'trained' | 'skipped'; metrics: RunMetrics }
  | { type: 'failed'; index: number | null; message: string };

const RUN_KEYS = ['experiment', 'model', 'loss', 'fold'] as const;

/**
 * Whether a value received over IPC is a message of the given side's protocol (the channel is
 * private, so this guards against version skew between a parent and a stale worker build rather
 * than against hostile input).
 *
 * @example
 * isWorkerMessage({ type: 'ready' }); // true
 */
export function isWorkerMessage(value: unknown): value is WorkerMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return true;
    case 'progress':
      return typeof m.text === 'string';
    case 'done':
      return (
        Number.isInteger(m.index) &&
        (m.status === 'trained' || m.status === 'skipped') &&
        typeof m.metrics === 'object' &&
        m.metrics !== null
      );
    case 'failed':
      return (m.index === null || Number.isInteger(m.index)) && typeof m.message === 'string';
    default:
      return false;
  }
}

/**
 * Whether a value received over IPC is a parent's message.
 *
 * @example
 * isParentMessage({ type: 'run', index: 0, run: { experiment: 1, model: 'unet3d', loss: 'dl', fold: 0 } }); // true
 */
export function isParentMessage(value: unknown): value is ParentMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  if (m.type === 'setup') return typeof m.setup === 'object' && m.setup !== null;
  if (m.type === 'run') {
    const run = m.run as Record<string, unknown> | null;
    return (
      Number.isInteger(m.index) &&
      typeof run === 'object' &&
      run !== null &&
      RUN_KEYS.every((k) => k in run)
    );
  }
  return false;
}
