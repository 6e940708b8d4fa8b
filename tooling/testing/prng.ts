/**
 * The seeded generator every package's tests draw random cases from: `@rpdl/random`'s mulberry32
 * stream, imported from its source so tests need no build.
 */
export { seededRandom as prng } from '../../packages/random/src/seeded-random.js';
