import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

/** Who holds a lock: written into the lock file by its holder. */
export interface LockHolder {
  pid: number;
  hostname: string;
  /** ISO time the holder took the lock. */
  started: string;
}

/** Another process holds the lock (or held it and may still be running). */
export class LockHeldError extends Error {
  override name = 'LockHeldError';
  constructor(
    readonly path: string,
    /** The holder, or null when the lock file could not be parsed. */
    readonly holder: LockHolder | null,
  ) {
    super(
      holder === null
        ? `${path} is locked by a process that left no readable owner; remove the file if no process is using it`
        : `${path} is held by process ${holder.pid} on ${holder.hostname} since ${holder.started}; wait for it to finish, or remove the lock file if that process is gone`,
    );
  }
}

/** A lock taken by {@link acquireLock}. */
export interface ExclusiveLock {
  readonly path: string;
  readonly holder: LockHolder;
  /** Removes the lock file; harmless when called twice. */
  release(): Promise<void>;
}

function parseHolder(text: string): LockHolder | null {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (
      Number.isInteger(value.pid) &&
      typeof value.hostname === 'string' &&
      typeof value.started === 'string'
    ) {
      return value as LockHolder;
    }
  } catch {
    // Unparseable: reported as an unknown holder below.
  }
  return null;
}

/**
 * Whether a process of this host is alive. Signal 0 checks existence without signalling; EPERM
 * means it exists but belongs to someone else.
 */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes an exclusive lock by creating `path` with `O_CREAT | O_EXCL` (the `wx` flag), which fails
 * when the file exists, atomically even between processes. The file holds the holder's pid,
 * hostname and start time. A lock left by a dead process on this host (pid no longer running) is
 * stale and taken over; a lock held by a live process, or by any process on another host (whose
 * pids cannot be checked from here), throws {@link LockHeldError} naming the holder. Works on local
 * file systems and NFSv3+ (`O_EXCL` is honoured there).
 *
 * @example
 * const lock = await acquireLock('runs/exp1/unet3d/dl/fold-0.lock');
 * try { … } finally { await lock.release(); }
 */
export async function acquireLock(path: string): Promise<ExclusiveLock> {
  await mkdir(dirname(path), { recursive: true });
  const holder: LockHolder = {
    pid: process.pid,
    hostname: hostname(),
    started: new Date().toISOString(),
  };
  // Two attempts: the second after removing a stale lock of a dead process.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, `${JSON.stringify(holder)}\n`, { flag: 'wx' });
      let released = false;
      return {
        path,
        holder,
        async release() {
          if (released) return;
          released = true;
          await rm(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let existing: LockHolder | null;
    try {
      existing = parseHolder(await readFile(path, 'utf8'));
    } catch (error) {
      // Released between our create and our read: try again.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const stale =
      existing !== null && existing.hostname === holder.hostname && !isAlive(existing.pid);
    if (!stale || attempt > 0) throw new LockHeldError(path, existing);
    await rm(path, { force: true });
  }
  throw new LockHeldError(path, parseHolder(await readFile(path, 'utf8').catch(() => '')));
}
