import { describe, expect, it } from 'vitest';
import { ManifestMismatchError, ManifestMissingError } from '../grid/manifest.js';
import { ShardSpecError } from '../grid/shard.js';
import { BackendUnavailableError } from '../platform/backend.js';
import { UsageError } from './errors.js';
import { describeError, exitStatusFor } from './exit-status.js';
import { OutputDirectoryError } from './output-dir.js';

function errno(code: string, syscall: string, path?: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: raw message, ${syscall}`), {
    code,
    syscall,
    ...(path === undefined ? {} : { path }),
  });
}

describe('exit status', () => {
  it('is 2 for usage errors and the domain errors a caller causes, 1 for failures', () => {
    expect(exitStatusFor(new UsageError('x'))).toBe(2);
    expect(exitStatusFor(new ShardSpecError('x'))).toBe(2);
    expect(exitStatusFor(new ManifestMismatchError('x'))).toBe(2);
    expect(exitStatusFor(new ManifestMissingError('x'))).toBe(2);
    expect(exitStatusFor(new OutputDirectoryError('x'))).toBe(1);
    expect(exitStatusFor(new BackendUnavailableError('cuda', 'x', true))).toBe(1);
    expect(exitStatusFor(new RangeError('x'))).toBe(1);
    expect(exitStatusFor('a string')).toBe(1);
  });
});

describe('describeError', () => {
  it('names the file and says in words what failed', () => {
    expect(describeError(errno('ENOSPC', 'write', 'runs/a/best.ckpt'))).toBe(
      'cannot write runs/a/best.ckpt: no space left on device (ENOSPC)',
    );
    expect(describeError(errno('ENOENT', 'open', 'bone.npy'))).toBe(
      'cannot read bone.npy: no such file or directory (ENOENT)',
    );
    expect(describeError(errno('EROFS', 'mkdir', '/ro/out'))).toBe(
      'cannot create the directory /ro/out: read-only file system (EROFS)',
    );
  });

  it('keeps other messages as they are', () => {
    expect(describeError(new Error('checksum mismatch'))).toBe('checksum mismatch');
    expect(describeError(errno('ENOSPC', 'write'))).toBe('ENOSPC: raw message, write');
    expect(describeError(42)).toBe('42');
  });
});
