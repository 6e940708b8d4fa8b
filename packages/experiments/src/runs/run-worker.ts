// Entry point of a `rpdl reproduce --jobs N` worker process (started by worker-pool.ts with
// child_process.fork). It trains the runs the parent sends, one at a time, each in its own run
// directory, and reports progress and results over the IPC channel. Importing this module starts
// the worker, so it is an entry of its own and never part of the library barrel.
import { env } from '@tensorflow/tfjs-core';
import { selectBackend } from '../platform/backend.js';
import { loadDataset } from './dataset-source.js';
import { executeLockedRun } from './run-training.js';
import {
  isParentMessage,
  type ParentMessage,
  type WorkerMessage,
  type WorkerSetup,
} from './worker-protocol.js';

function send(message: WorkerMessage): void {
  process.send?.(message);
}

/** Reports a failure and exits once the message has left (exiting at once could drop it). */
function fail(index: number | null, message: string): void {
  if (!process.send) process.exit(1);
  process.send({ type: 'failed', index, message } satisfies WorkerMessage, () => process.exit(1));
}

function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

async function serve(): Promise<void> {
  if (!process.send) {
    throw new Error('run-worker must be started by rpdl reproduce --jobs (it needs an IPC channel)');
  }
  // The channel closes when the parent has no more runs for this worker, or when the parent is
  // gone (killed, Ctrl-C) and nobody would collect the results: either way, stop.
  process.on('disconnect', () => process.exit(0));
  env().set('PROD', true);

  let context:
    | Promise<{ setup: WorkerSetup; dataset: Awaited<ReturnType<typeof loadDataset>> }>
    | undefined;
  let queue = Promise.resolve();
  let current: number | null = null;

  const prepare = async (setup: WorkerSetup) => {
    // The selection's warning is not shown: the parent showed it once for the whole reproduction.
    await selectBackend(setup.backend);
    return { setup, dataset: await loadDataset(setup.source) };
  };

  const train = async (index: number, run: Extract<ParentMessage, { type: 'run' }>['run']) => {
    if (!context) throw new Error('a run arrived before the setup message');
    const { setup, dataset } = await context;
    current = index;
    const outcome = await executeLockedRun(run, {
      dataset,
      profile: setup.profile,
      seed: setup.seed,
      out: setup.out,
      resume: setup.resume,
      ...(setup.progress
        ? { progress: { isTTY: setup.isTTY, write: (text: string) => send({ type: 'progress', text }) } }
        : {}),
    });
    current = null;
    send({ type: 'done', index, status: outcome.status, metrics: outcome.metrics });
  };

  process.on('message', (message: unknown) => {
    if (!isParentMessage(message)) {
      fail(current, `unexpected message ${JSON.stringify(message)}`);
      return;
    }
    if (message.type === 'setup') {
      context = prepare(message.setup);
      context.then(
        () => send({ type: 'ready' }),
        (error: unknown) => fail(null, errorText(error)),
      );
      return;
    }
    // Runs are queued so that a message arriving mid-run never starts a second one here.
    const { index, run } = message;
    queue = queue
      .then(() => train(index, run))
      .catch((error: unknown) => fail(current ?? index, errorText(error)));
  });
}

serve().catch((error: unknown) => {
  process.stderr.write(`rpdl worker: ${errorText(error)}\n`);
  process.exit(1);
});
