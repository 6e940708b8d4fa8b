import {
  cast,
  concat,
  max,
  min,
  mul,
  reshape,
  sub,
  sum,
  Tensor,
  tidy,
} from '@tensorflow/tfjs-core';

/** Ranks every loss and metric accepts: 2D/3D images with or without batch and channel axes. */
const MIN_RANK = 2;
const MAX_RANK = 5;

/**
 * Checks that every named input is a tensor of rank 2–5 and that all share the first one's shape.
 * Broadcasting is refused on purpose: a map or target of the wrong shape is a bug, not a wish.
 */
export function assertSameShape(fn: string, inputs: Readonly<Record<string, Tensor>>): void {
  let reference: { name: string; shape: readonly number[] } | undefined;
  for (const [name, t] of Object.entries(inputs)) {
    if (!(t instanceof Tensor)) {
      throw new TypeError(`${fn}: ${name} must be a tfjs Tensor, got ${describe(t)}`);
    }
    if (t.rank < MIN_RANK || t.rank > MAX_RANK) {
      throw new RangeError(
        `${fn}: ${name} has rank ${t.rank} (shape [${t.shape}]); expected rank ${MIN_RANK}–${MAX_RANK}`,
      );
    }
    if (t.size === 0) {
      throw new RangeError(`${fn}: ${name} has no elements (shape [${t.shape}])`);
    }
    if (reference === undefined) reference = { name, shape: t.shape };
    else if (t.shape.join(',') !== reference.shape.join(',')) {
      throw new RangeError(
        `${fn}: ${reference.name} shape [${reference.shape}] and ${name} shape [${t.shape}] must be equal`,
      );
    }
  }
}

/** `smooth` is added to numerator and denominator; a negative one could make the ratio exceed 1. */
export function assertSmooth(fn: string, smooth: number): void {
  if (typeof smooth !== 'number' || !Number.isFinite(smooth) || smooth < 0) {
    throw new RangeError(`${fn}: smooth must be a finite number ≥ 0, got ${String(smooth)}`);
  }
}

/** What the values of an input must be; checked in the loss's one read-back. */
export type ValueRule =
  /** a prediction: probabilities in [0, 1] */
  | 'probability'
  /** a target mask: 0 or 1 */
  | 'binary'
  /** a soft target: values in [0, 1] */
  | 'soft'
  /** a reward-penalty map: values in [−1, 1] */
  | 'map';

/** Range statistics of one input: its smallest and largest value and Σ x·(1 − x). */
export interface ValueStats {
  min: number;
  max: number;
  /** 0 for a binary input in [0, 1]; > 0 when a value lies strictly between 0 and 1. */
  fraction: number;
}

/**
 * The tensors a loss or metric reads, what each must hold, and whether to check it at all.
 * `validate: false` skips every check that reads values (see {@link ValidationOptions}).
 */
export interface CheckedInputs {
  readonly tensors: Readonly<Record<string, Tensor>>;
  readonly rules: Readonly<Record<string, ValueRule>>;
  readonly validate: boolean;
}

export interface ValidationOptions {
  /**
   * `true` (default): check the values of every input (NaN/±Infinity, predictions in [0, 1],
   * targets binary or in [0, 1], maps in [−1, 1]) with one small download per call. That
   * download waits for the backend to finish the batch: on a GPU backend it is a sync point in
   * every training step. `false` skips these value checks (shape, rank and dtype checks cost
   * nothing and always run); bad values then give wrong numbers instead of errors.
   */
  validate?: boolean;
}

export function resolveValidate(fn: string, options: ValidationOptions): boolean {
  const validate = options.validate ?? true;
  if (typeof validate !== 'boolean') {
    throw new TypeError(`${fn}: validate must be a boolean, got ${String(validate)}`);
  }
  return validate;
}

/** A reward-penalty map is float32; an integer map is a mask passed in its place. */
export function assertMapDtype(fn: string, name: string, map: Tensor): void {
  if (map instanceof Tensor && map.dtype !== 'float32') {
    throw new TypeError(
      `${fn}: ${name} must be a float32 reward-penalty map with values in [−1, 1], got dtype ${map.dtype}`,
    );
  }
}

/**
 * The statistics tensors of each ruled input, as float32 scalars in rule order: min, max and, for
 * binary inputs, Σ x·(1 − x).
 */
function statTensors(checked: CheckedInputs): Tensor[] {
  const out: Tensor[] = [];
  for (const [name, rule] of Object.entries(checked.rules)) {
    const t = cast(checked.tensors[name]!, 'float32');
    out.push(min(t), max(t));
    if (rule === 'binary') out.push(sum(mul(t, sub(1, t))));
  }
  return out;
}

/**
 * Downloads, in one read-back, the per-group sums a loss has already computed together with the
 * range statistics of its inputs, then fails on the first problem: a non-finite input, then a
 * value outside what its rule allows. With `validate: false` nothing is downloaded.
 *
 * Any NaN or ±Infinity in an input reaches every sum that multiplies it (∞·0 and NaN·x are NaN),
 * so checking the few sums finds it; only on failure are the inputs scanned one by one to name
 * the culprit.
 *
 * @param rulesVerified true when the caller has already checked every rule (the fused cpu loop
 *   does, as it reads the inputs); then only the sums are read back.
 * @returns the downloaded sums, in order, or undefined when validation is off.
 */
export function readChecked(
  fn: string,
  sums: readonly Tensor[],
  checked: CheckedInputs,
  rulesVerified = false,
): Float32Array[] | undefined {
  if (!checked.validate) return undefined;
  const sizes = sums.map((s) => s.size);
  const packed = tidy(() =>
    concat([
      ...sums.map((s) => reshape(cast(s, 'float32'), [-1])),
      ...(rulesVerified ? [] : statTensors(checked).map((t) => reshape(t, [1]))),
    ]),
  );
  const values = packed.dataSync() as Float32Array;
  packed.dispose();
  const out: Float32Array[] = [];
  let offset = 0;
  for (const size of sizes) {
    out.push(values.subarray(offset, offset + size));
    offset += size;
  }
  if (!out.every((v) => v.every(Number.isFinite))) {
    for (const [name, t] of Object.entries(checked.tensors)) {
      if (!isFiniteTensor(t)) {
        throw new RangeError(`${fn}: ${name} contains NaN or ±Infinity`);
      }
    }
    throw new RangeError(
      `${fn}: a sum overflowed float32; inputs hold values too large for a loss (expected probabilities, masks and maps)`,
    );
  }
  if (rulesVerified) return out;
  for (const [name, rule] of Object.entries(checked.rules)) {
    const stats = { min: values[offset]!, max: values[offset + 1]!, fraction: 0 };
    offset += 2;
    if (rule === 'binary') stats.fraction = values[offset++]!;
    assertRule(fn, name, rule, stats);
  }
  return out;
}

/** Throws when `stats` break `rule`, naming the smallest and largest value seen. */
export function assertRule(fn: string, name: string, rule: ValueRule, stats: ValueStats): void {
  const seen = `found values from ${stats.min} to ${stats.max}`;
  switch (rule) {
    case 'probability':
      if (stats.min < 0 || stats.max > 1) {
        throw new RangeError(
          `${fn}: ${name} must hold probabilities in [0, 1] (a sigmoid output, not logits); ${seen}`,
        );
      }
      return;
    case 'soft':
      if (stats.min < 0 || stats.max > 1) {
        throw new RangeError(`${fn}: ${name} must be a soft target in [0, 1]; ${seen}`);
      }
      return;
    case 'map':
      if (stats.min < -1 || stats.max > 1) {
        throw new RangeError(
          `${fn}: ${name} must be a reward-penalty map with values in [−1, 1] (rewardPenaltyMap from @rpdl/rpmap); ${seen}`,
        );
      }
      return;
    case 'binary':
      if (stats.min < 0 || stats.max > 1) {
        const swapped = stats.min < 0 ? ' (a reward-penalty map passed as the target?)' : '';
        throw new RangeError(`${fn}: ${name} must be a binary mask (0 or 1); ${seen}${swapped}`);
      }
      if (stats.fraction !== 0) {
        throw new RangeError(
          `${fn}: ${name} must be a binary mask (0 or 1); found values strictly between 0 and 1 (for a soft target use softDiceLoss)`,
        );
      }
      return;
  }
}

/** True when no element is NaN or ±Infinity (x·0 is 0 for finite x and NaN otherwise). */
export function isFiniteTensor(t: Tensor): boolean {
  const probe = tidy(() => sum(mul(t, 0)));
  const value = probe.dataSync()[0]!;
  probe.dispose();
  return Number.isFinite(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
