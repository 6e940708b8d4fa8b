export { writeFileAtomic, writeJsonAtomic } from './write-file-atomic.js';
