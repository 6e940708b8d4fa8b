import { sharedAnnotators, type TrainingCases } from '@rpdl/cm-dataset';
import {
  binarize,
  dice,
  expectedCalibrationError,
  generalizedEnergyDistance,
  rewardPenaltyDice,
  thresholdAveragedDice,
} from '@rpdl/losses/metrics';
import { majorityVote, meanAnnotation, rewardPenaltyMap } from '@rpdl/rpmap';
import type { ExperimentId } from '../grid/grid.js';

/** The annotations evaluation needs, in the CM layout: row = bone·S + surgeon. */
export interface AnnotatedLayout {
  layout: { bones: number; surgeons: number };
  masks: readonly Uint8Array[];
}

/**
 * The annotations evaluation needs, case by case (a `TrainingCases` source fits): Experiment 1
 * holds out case `fold`, Experiment 2 the annotator `sharedAnnotators(cases)[fold]`.
 */
export interface AnnotatedCases {
  cases: ReadonlyArray<{
    id: string;
    annotations: readonly Uint8Array[];
    annotators: readonly string[];
  }>;
}

/** Either form of annotated data; the CM layout reads as cases = bones, annotators = surgeons. */
export type EvaluationData = AnnotatedLayout | AnnotatedCases;

/** One prediction compared with one annotation (on the CM layout: one surgeon's surgery). */
export interface Comparison {
  /** The case (bone) index. */
  bone: number;
  /** The annotation's index within its case (the surgeon on the CM layout). */
  surgeon: number;
  dice: number;
  rpd: number;
}

/**
 * The multi-rater scores of one image's prediction against the same annotations its
 * {@link Comparison}s use (the reference annotators):
 * threshold-averaged Dice of the probabilities against their mean, the squared generalised
 * energy distance with one sample (the prediction thresholded at ≥ 0.5) and the expected
 * calibration error (10 bins) of the probabilities against their mean.
 */
export interface ImageScore {
  bone: number;
  thresholdDice: number;
  ged: number;
  ece: number;
}

function asCases(data: EvaluationData): AnnotatedCases {
  if ('cases' in data) return data;
  const { bones, surgeons } = data.layout;
  if (data.masks.length !== bones * surgeons) {
    throw new RangeError(
      `expected ${bones * surgeons} masks (${bones} bones × ${surgeons} surgeons), got ${data.masks.length}`,
    );
  }
  const annotators = Array.from({ length: surgeons }, (_, s) => `surgeon ${s}`);
  return {
    cases: Array.from({ length: bones }, (_, b) => ({
      id: `bone ${b}`,
      annotations: data.masks.slice(b * surgeons, (b + 1) * surgeons),
      annotators,
    })),
  };
}

/** The annotators every case shares (a clear error when they differ), in the first case's order. */
function annotatorsOf(data: AnnotatedCases): string[] {
  // sharedAnnotators reads only ids and annotator names, which AnnotatedCases has.
  return sharedAnnotators(data as unknown as TrainingCases);
}

function foldsOf(experiment: ExperimentId, data: AnnotatedCases): number {
  return experiment === 1 ? data.cases.length : annotatorsOf(data).length;
}

/**
 * The bones (cases) whose predictions a fold's evaluation needs: the held-out one
 * (Experiment 1), or every one (Experiment 2, where the held-out part is a surgeon).
 *
 * @example
 * testBones(1, 4, { bones: 9, surgeons: 7 }); // [4]
 */
export function testBones(
  experiment: ExperimentId,
  fold: number,
  layout: AnnotatedLayout['layout'] | AnnotatedCases,
): number[] {
  const count = 'cases' in layout ? layout.cases.length : layout.bones;
  return experiment === 1 ? [fold] : [...Array(count).keys()];
}

/**
 * The surgeons a bone's prediction is compared with: all of them on the held-out bone
 * (Experiment 1), the training surgeons (all but the held-out one, Experiment 2).
 *
 * @example
 * referenceSurgeons(2, 0, { bones: 9, surgeons: 7 }); // [1, 2, 3, 4, 5, 6]
 */
export function referenceSurgeons(
  experiment: ExperimentId,
  fold: number,
  layout: AnnotatedLayout['layout'],
): number[] {
  const all = [...Array(layout.surgeons).keys()];
  return experiment === 1 ? all : all.filter((s) => s !== fold);
}

/** Indices of the annotations of case `c` a prediction is compared with (see referenceSurgeons). */
function referenceAnnotations(
  experiment: ExperimentId,
  fold: number,
  data: AnnotatedCases,
  c: number,
): number[] {
  const annotators = data.cases[c]!.annotators;
  const all = [...annotators.keys()];
  if (experiment === 1) return all;
  const held = annotatorsOf(data)[fold];
  return all.filter((k) => annotators[k] !== held);
}

/** The annotations of case `c` a prediction is compared with, in {@link referenceAnnotations}' order. */
function referenceMasks(
  experiment: ExperimentId,
  fold: number,
  data: AnnotatedCases,
  c: number,
): Uint8Array[] {
  return referenceAnnotations(experiment, fold, data, c).map((k) => data.cases[c]!.annotations[k]!);
}

function checkFold(experiment: ExperimentId, fold: number, data: EvaluationData): AnnotatedCases {
  const cases = asCases(data);
  const count = foldsOf(experiment, cases);
  if (!Number.isInteger(fold) || fold < 0 || fold >= count) {
    throw new RangeError(`experiment ${experiment} has folds 0..${count - 1}, got ${fold}`);
  }
  return cases;
}

/**
 * Scores a fold following the paper's protocol. Experiment 1: the held-out bone's prediction
 * against each of its surgeries, RPD with the map built from those surgeries. Experiment 2: every
 * bone's prediction against each training surgeon's surgery on that bone, RPD with the map built
 * from those. Both with `@rpdl/losses/metrics`' Dice and RPD, so a probabilistic prediction is
 * thresholded at ≥ 0.5 (a binary one passes unchanged).
 *
 * @example
 * const scores = evaluateFold(1, 0, dataset, (bone) => predictions.get(bone)!);
 */
export function evaluateFold(
  experiment: ExperimentId,
  fold: number,
  data: EvaluationData,
  predictionFor: (bone: number) => ArrayLike<number>,
): Comparison[] {
  const cases = checkFold(experiment, fold, data);
  const result: Comparison[] = [];
  for (const bone of testBones(experiment, fold, cases)) {
    const references = referenceAnnotations(experiment, fold, cases, bone);
    const masks = referenceMasks(experiment, fold, cases, bone);
    const map = rewardPenaltyMap(masks);
    const prediction = predictionFor(bone);
    references.forEach((surgeon, i) => {
      const mask = masks[i]!;
      result.push({
        bone,
        surgeon,
        dice: dice(mask, prediction),
        rpd: rewardPenaltyDice(mask, prediction, map),
      });
    });
  }
  return result;
}

/**
 * The multi-rater scores ({@link ImageScore}) of a fold: for each bone {@link evaluateFold}
 * scores, its probabilities against the same reference annotations.
 *
 * @example
 * const images = scoreImages(1, 0, dataset, (bone) => probabilities.get(bone)!);
 */
export function scoreImages(
  experiment: ExperimentId,
  fold: number,
  data: EvaluationData,
  probabilityFor: (bone: number) => ArrayLike<number>,
): ImageScore[] {
  const cases = checkFold(experiment, fold, data);
  return testBones(experiment, fold, cases).map((bone) => {
    const masks = referenceMasks(experiment, fold, cases, bone);
    const probability = probabilityFor(bone);
    return {
      bone,
      thresholdDice: thresholdAveragedDice(probability, masks),
      ged: generalizedEnergyDistance([binarize(probability)], masks),
      ece: expectedCalibrationError(probability, meanAnnotation(masks)),
    };
  });
}

function heldOutPrediction(fold: number, cases: AnnotatedCases): (bone: number) => Uint8Array {
  const held = annotatorsOf(cases)[fold];
  return (bone) => {
    const c = cases.cases[bone]!;
    return c.annotations[c.annotators.indexOf(held!)]!;
  };
}

/**
 * Experiment 2's surgeon baseline for one fold: the held-out surgeon's own surgeries scored like a
 * network's predictions, against the training surgeons on each bone.
 *
 * @example
 * surgeonBaseline(0, dataset).map((c) => c.dice);
 */
export function surgeonBaseline(fold: number, data: EvaluationData): Comparison[] {
  const cases = checkFold(2, fold, data);
  return evaluateFold(2, fold, cases, heldOutPrediction(fold, cases));
}

/**
 * The atlas prediction of each bone for one fold: the training annotations' voxel-wise mean,
 * thresholded at ≥ 0.5 (`majorityVote`). Experiment 1: the mean over every training row (the
 * other bones); Experiment 2: per bone, the mean over the training surgeons' surgeries on it.
 */
function atlasPrediction(
  experiment: ExperimentId,
  fold: number,
  cases: AnnotatedCases,
): (bone: number) => Uint8Array {
  if (experiment === 1) {
    const atlas = majorityVote(cases.cases.flatMap((c, b) => (b === fold ? [] : c.annotations)));
    return () => atlas;
  }
  const atlases = cases.cases.map((_, bone) => majorityVote(referenceMasks(2, fold, cases, bone)));
  return (bone) => atlases[bone]!;
}

/**
 * The atlas baseline for one fold: the training surgeries' voxel-wise mean, thresholded at 0.5,
 * used as the prediction. Experiment 1: the mean over every training row (the other bones);
 * Experiment 2: per bone, the mean over the training surgeons' surgeries on that bone.
 *
 * @example
 * atlasBaseline(1, 3, dataset).map((c) => c.dice);
 */
export function atlasBaseline(
  experiment: ExperimentId,
  fold: number,
  data: EvaluationData,
): Comparison[] {
  const cases = checkFold(experiment, fold, data);
  return evaluateFold(experiment, fold, cases, atlasPrediction(experiment, fold, cases));
}

/**
 * {@link ImageScore}s of a baseline's binary prediction (its probabilities are 0 or 1), as
 * {@link scoreImages} gives for a network.
 *
 * @example
 * baselineImageScores('atlas', 1, 0, dataset).map((s) => s.ged);
 */
export function baselineImageScores(
  name: 'atlas' | 'surgeon',
  experiment: ExperimentId,
  fold: number,
  data: EvaluationData,
): ImageScore[] {
  const cases = checkFold(experiment, fold, data);
  if (name === 'surgeon' && experiment !== 2) {
    throw new RangeError('the surgeon baseline exists for Experiment 2 only');
  }
  const prediction =
    name === 'atlas' ? atlasPrediction(experiment, fold, cases) : heldOutPrediction(fold, cases);
  return scoreImages(experiment, fold, cases, prediction);
}
