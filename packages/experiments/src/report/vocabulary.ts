import type { DatasetSource } from '../runs/dataset-source.js';

/**
 * What a report calls the images a fold of Experiment 1 holds out and the raters a fold of
 * Experiment 2 holds out: the CM study's bones and surgeons, or a folder's cases and annotators.
 */
export interface Vocabulary {
  image: string;
  rater: string;
}

/** The CM files and the phantom (the paper's words). */
export const CM_WORDS: Vocabulary = Object.freeze({ image: 'bone', rater: 'surgeon' });
/** A `--data` folder of cases. */
export const CASE_WORDS: Vocabulary = Object.freeze({ image: 'case', rater: 'annotator' });

/**
 * The words for a reproduction's data source.
 *
 * @example
 * wordsFor({ kind: 'cases', dir: 'data', split: 'leave-one-case-out' }).image; // 'case'
 */
export function wordsFor(source: Pick<DatasetSource, 'kind'>): Vocabulary {
  return source.kind === 'cases' ? CASE_WORDS : CM_WORDS;
}

/**
 * `word` with a capital first letter, for labels such as `Bone3` or `Annotators (held-out)`.
 *
 * @example
 * capitalized('surgeon'); // 'Surgeon'
 */
export function capitalized(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
