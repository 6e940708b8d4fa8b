export {
  hashSeed,
  mixSeed,
  type Random,
  SeededRandom,
  seededRandom,
  shuffleInPlace,
} from './seeded-random.js';
