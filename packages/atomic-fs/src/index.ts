export {
  acquireLock,
  type ExclusiveLock,
  LockHeldError,
  type LockHolder,
} from './exclusive-lock.js';
export { isAtomicTemporary, removeAtomicTemporaries } from './temporaries.js';
export { writeFileAtomic, writeJsonAtomic } from './write-file-atomic.js';
