export { type FlagSpec, type FlagValues, parseStrictFlags } from './parse.js';
export { UsageError } from './usage-error.js';
export { integerFlag, oneOfFlag, positiveFlag } from './values.js';
