import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, LockHeldError } from './exclusive-lock.js';

async function scratch(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'rpdl-lock-'));
}

/** The pid of a process that has exited (its pid is free again unless reused, which is rare). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('acquireLock', () => {
  it('writes the holder, refuses a second taker naming the holder, and frees on release', async () => {
    const path = join(await scratch(), 'sub', 'run.lock');
    const lock = await acquireLock(path);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({
      pid: process.pid,
      hostname: hostname(),
      started: lock.holder.started,
    });
    const second = acquireLock(path);
    await expect(second).rejects.toThrow(LockHeldError);
    await expect(acquireLock(path)).rejects.toThrow(
      `${path} is held by process ${process.pid} on ${hostname()} since ${lock.holder.started}`,
    );
    await lock.release();
    await lock.release();
    expect(existsSync(path)).toBe(false);
    const again = await acquireLock(path);
    await again.release();
  });

  it('lets exactly one of many concurrent takers win', async () => {
    const path = join(await scratch(), 'race.lock');
    const results = await Promise.allSettled(Array.from({ length: 16 }, () => acquireLock(path)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(LockHeldError);
    }
  });

  it('takes over a stale lock of a dead process on this host', async () => {
    const path = join(await scratch(), 'stale.lock');
    const pid = deadPid();
    await writeFile(path, JSON.stringify({ pid, hostname: hostname(), started: 'then' }));
    const lock = await acquireLock(path);
    expect(JSON.parse(await readFile(path, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('refuses a lock of another host (its pid cannot be checked) and an unreadable lock', async () => {
    const dir = await scratch();
    const remote = join(dir, 'remote.lock');
    await writeFile(remote, JSON.stringify({ pid: deadPid(), hostname: 'node-17', started: 't0' }));
    await expect(acquireLock(remote)).rejects.toThrow(/held by process \d+ on node-17 since t0/);
    const garbled = join(dir, 'garbled.lock');
    await writeFile(garbled, '{"pid":');
    await expect(acquireLock(garbled)).rejects.toThrow(
      `${garbled} is locked by a process that left no readable owner`,
    );
  });
});
