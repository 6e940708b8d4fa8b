import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunSpec, runId } from '../grid/grid.js';
import type { ParallelProgress } from './parallel-progress.js';
import type { RunMetrics } from './run-dir.js';
import { isWorkerMessage, type WorkerMessage, type WorkerSetup } from './worker-protocol.js';

/** One run a worker finished (trained, or skipped because `--resume` found it done). */
export interface FinishedRun {
  /** Position of the run in the list handed to the pool. */
  index: number;
  run: RunSpec;
  status: 'trained' | 'skipped';
  metrics: RunMetrics;
  /** Wall-clock seconds from sending the run to receiving its result. */
  seconds: number;
}

/** A run that failed, or a worker that died; the other workers have been stopped. */
export class RunFailedError extends Error {
  override name = 'RunFailedError';
  constructor(
    message: string,
    /** The run that failed; null when a worker failed before it was given one. */
    readonly run: RunSpec | null,
  ) {
    super(message);
  }
}

/** What {@link runInWorkers} needs. */
export interface WorkerPoolOptions {
  runs: readonly RunSpec[];
  jobs: number;
  /** `OMP_NUM_THREADS` of every worker. */
  threadsPerJob: number;
  setup: WorkerSetup;
  /** Environment of the workers (their `OMP_NUM_THREADS` is overridden). */
  env: NodeJS.ProcessEnv;
  /** Status lines; absent with `--quiet`. */
  progress?: ParallelProgress;
  /** Where whatever a worker prints outside the protocol goes (library warnings, crash output). */
  stderr: { write(text: string): unknown };
  /** Called as each run finishes, in completion order. */
  onFinished: (finished: FinishedRun) => void;
  /** The worker's entry module (default: run-worker next to this module). */
  workerEntry?: string;
}

/**
 * The worker entry that sits next to this module: `run-worker.ts` when running from the sources,
 * `run-worker.js` / `.cjs` next to the bundle in `dist/`.
 *
 * @example
 * fork(defaultWorkerEntry());
 */
export function defaultWorkerEntry(): string {
  const here = fileURLToPath(import.meta.url);
  return join(dirname(here), `run-worker${extname(here)}`);
}

/** The last `limit` characters of a stream, for crash reports. */
function tail(text: string, limit = 4000): string {
  return text.length > limit ? `…${text.slice(-limit)}` : text;
}

interface Slot {
  child: ChildProcess;
  /** Index of the run this worker is training, or null while idle. */
  current: number | null;
  sentAt: number;
  stderr: string;
  /** Set once this worker's failure has been reported, so its exit is not reported again. */
  reported: boolean;
  retired: boolean;
}

/**
 * Trains `runs` in `jobs` worker processes (`child_process.fork`), each taking the next run as
 * it becomes free. Processes rather than threads: tfjs keeps one global engine (backend, kernel
 * registry, tensor bookkeeping) per JavaScript realm, the native kernels' OpenMP pool is
 * per process and sized by `OMP_NUM_THREADS` when the addon loads, and a native crash or an
 * out-of-memory kill then takes down one worker, which the parent reports, not the whole grid.
 *
 * Results do not depend on the number of workers: each run derives its seed from its id and
 * writes only its own directory; the report is built from those directories afterwards.
 * The first failure (an error in a run, or a worker that exits or is killed) stops every worker
 * and rejects with a {@link RunFailedError} naming the run. SIGINT / SIGTERM / SIGHUP to this
 * process stop the workers before it exits; a worker whose parent disappears exits by itself.
 *
 * @example
 * await runInWorkers({ runs, jobs: 2, threadsPerJob: 1, setup, env: process.env, onFinished: print });
 */
export async function runInWorkers(options: WorkerPoolOptions): Promise<void> {
  const { runs, progress } = options;
  if (!Number.isInteger(options.jobs) || options.jobs < 1) {
    throw new RangeError(`jobs must be a positive integer, got ${options.jobs}`);
  }
  if (runs.length === 0) return;
  const entry = options.workerEntry ?? defaultWorkerEntry();
  if (!existsSync(entry)) {
    throw new Error(`the worker entry ${entry} is missing; rebuild @rpdl/experiments (pnpm build)`);
  }
  const jobs = Math.min(options.jobs, runs.length);
  let next = 0;
  let finished = 0;
  const slots: Slot[] = [];

  return new Promise<void>((resolve, reject) => {
    let settled = false;

    const stopAll = (signal: NodeJS.Signals) => {
      for (const slot of slots) {
        slot.retired = true;
        if (slot.child.exitCode === null && slot.child.signalCode === null) slot.child.kill(signal);
      }
    };
    const onExit = () => stopAll('SIGKILL');
    const onSignal = (signal: NodeJS.Signals) => {
      stopAll('SIGTERM');
      cleanup();
      // Die of the same signal, as the process would have without this handler.
      process.kill(process.pid, signal);
    };
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    const cleanup = () => {
      process.off('exit', onExit);
      for (const s of signals) process.off(s, onSignal);
    };
    process.on('exit', onExit);
    for (const s of signals) process.on(s, onSignal);

    const finish = (error?: RunFailedError) => {
      if (settled) return;
      settled = true;
      if (error) stopAll('SIGKILL');
      cleanup();
      progress?.close();
      if (error) reject(error);
      else resolve();
    };

    const fail = (slot: Slot, message: string, runIndex: number | null) => {
      if (slot.reported || settled) return;
      slot.reported = true;
      const run = runIndex === null ? null : runs[runIndex]!;
      const what =
        run === null ? `worker ${slots.indexOf(slot) + 1} failed to start` : `run ${runId(run)} failed`;
      finish(new RunFailedError(`${what}: ${message}`, run));
    };

    const dispatch = (slot: Slot) => {
      const i = slots.indexOf(slot);
      if (next >= runs.length) {
        // Nothing left for this worker: let it go (it exits when the channel closes).
        slot.retired = true;
        progress?.setStatus(i, 'done');
        slot.child.disconnect();
        return;
      }
      slot.current = next++;
      slot.sentAt = performance.now();
      progress?.setStatus(i, `${runId(runs[slot.current]!)} starting`);
      slot.child.send({ type: 'run', index: slot.current, run: runs[slot.current]! });
    };

    const onMessage = (slot: Slot, message: WorkerMessage) => {
      const i = slots.indexOf(slot);
      switch (message.type) {
        case 'ready':
          dispatch(slot);
          return;
        case 'progress':
          progress?.write(i, message.text);
          return;
        case 'done': {
          if (message.index !== slot.current) {
            fail(slot, `reported run ${message.index} while running ${slot.current}`, slot.current);
            return;
          }
          const seconds = (performance.now() - slot.sentAt) / 1000;
          slot.current = null;
          const result: FinishedRun = {
            index: message.index,
            run: runs[message.index]!,
            status: message.status,
            metrics: message.metrics,
            seconds,
          };
          if (progress) progress.print(() => options.onFinished(result));
          else options.onFinished(result);
          finished += 1;
          if (finished === runs.length) {
            for (const s of slots) if (!s.retired) dispatch(s);
            finish();
            return;
          }
          dispatch(slot);
          return;
        }
        case 'failed':
          fail(slot, message.message, message.index ?? slot.current);
          return;
      }
    };

    for (let i = 0; i < jobs; i++) {
      const child = fork(entry, [], {
        // From the TypeScript sources (the monorepo's own tests), workers need the same loader
        // and export condition as their parent; the published build forks plain JavaScript.
        ...(extname(entry) === '.ts'
          ? { execArgv: ['--import', 'tsx', '--conditions=@rpdl/source'] }
          : {}),
        env: { ...options.env, OMP_NUM_THREADS: String(options.threadsPerJob) },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        serialization: 'advanced',
      });
      const slot: Slot = {
        child,
        current: null,
        sentAt: 0,
        stderr: '',
        reported: false,
        retired: false,
      };
      slots.push(slot);
      // Anything a worker prints outside the protocol (library warnings) is passed on, marked.
      const relay = (chunk: Buffer) => {
        const text = chunk.toString();
        slot.stderr = tail(slot.stderr + text);
        const write = () => options.stderr.write(text.replace(/^(?=.)/gm, `[job ${i + 1}] `));
        if (progress) progress.print(write);
        else write();
      };
      child.stdout?.on('data', relay);
      child.stderr?.on('data', relay);
      child.on('message', (message: unknown) => {
        if (!isWorkerMessage(message)) {
          fail(slot, `sent an unexpected message ${JSON.stringify(message)}`, slot.current);
          return;
        }
        onMessage(slot, message);
      });
      child.on('error', (error) => fail(slot, error.message, slot.current));
      child.on('exit', (code, signal) => {
        if (settled || slot.reported) return;
        if (slot.retired && slot.current === null) return;
        const how = signal === null ? `exited with code ${code}` : `was killed by ${signal}`;
        const output = slot.stderr.trim() === '' ? '' : `\n${slot.stderr.trimEnd()}`;
        fail(slot, `its worker process (pid ${child.pid}) ${how}${output}`, slot.current);
      });
      child.send({ type: 'setup', setup: options.setup });
    }
  });
}
