import type { CaseSplitKind, PhantomSize } from '@rpdl/cm-dataset';
import type { ModelName } from '@rpdl/models-3d';
import type { ExperimentId, LossName } from '../grid/grid.js';
import { PROFILES, type ProfileName } from '../grid/profiles.js';
import { UsageError } from './errors.js';

/** Backends `--backend` accepts. */
export type BackendName = 'auto' | 'cpu' | 'wasm' | 'node' | 'cuda' | 'webgpu';
/** Every `--backend` value. */
export const BACKEND_NAMES: readonly BackendName[] = Object.freeze([
  'auto',
  'cpu',
  'wasm',
  'node',
  'cuda',
  'webgpu',
] as const);

/** Per-flag overrides of a profile's settings. */
export interface ProfileOverrides {
  maxEpochs?: number;
  stepsPerEpoch?: number;
  batchSize?: number;
  learningRate?: number;
  phantomSize?: PhantomSize;
}

/** `rpdl reproduce`. Selection fields are undefined when the profile's defaults apply. */
export interface ReproduceArgs {
  command: 'reproduce';
  profile: ProfileName;
  experiments?: ExperimentId[];
  models?: ModelName[];
  losses?: LossName[];
  folds?: number[];
  data?: string;
  /** How a `--data` folder of cases is split (a CM folder has both experiments). */
  split?: CaseSplitKind;
  out?: string;
  resume: boolean;
  shard?: string;
  shardCount?: number;
  seed: number;
  backend: BackendName;
  overrides: ProfileOverrides;
  quiet: boolean;
  /** `--jobs`: runs trained at once in worker processes; undefined = chosen from the cores. */
  jobs?: number;
}

/** `rpdl report <out>`. */
export interface ReportArgs {
  command: 'report';
  out: string;
}

/** `rpdl baseline`. */
export interface BaselineArgs {
  command: 'baseline';
  profile: ProfileName;
  data?: string;
  phantomSize?: PhantomSize;
}

/** `rpdl phantom`. */
export interface PhantomArgs {
  command: 'phantom';
  out: string;
  size: PhantomSize;
  seed: number;
  bones: number;
  surgeons: number;
}

/** `rpdl predict`. */
export interface PredictArgs {
  command: 'predict';
  /** A run directory or a directory written by `rpdl export`. */
  model: string;
  input: string;
  output?: string;
  backend: BackendName;
}

/** `rpdl export <run dir> --out <dir>`. */
export interface ExportArgs {
  command: 'export';
  run: string;
  out: string;
  backend: BackendName;
}

/** `rpdl help [command]`, `--help`, or no command at all. */
export interface HelpArgs {
  command: 'help';
  topic?: string;
}

/** `rpdl --version`. */
export interface VersionArgs {
  command: 'version';
}

/** Any parsed command line. */
export type CliArgs =
  | ReproduceArgs
  | ReportArgs
  | BaselineArgs
  | PhantomArgs
  | PredictArgs
  | ExportArgs
  | HelpArgs
  | VersionArgs;

/** The default seed of every command that draws random numbers. */
export const DEFAULT_SEED = 1234;

/** Upper bounds of the numeric training overrides: far above any sensible run, below overflow. */
export const LIMITS = Object.freeze({
  epochs: 100_000,
  stepsPerEpoch: 1_000_000,
  batchSize: 4096,
  seed: 0xffffffff,
  shardCount: 100_000,
  jobs: 256,
});

/**
 * Parses an integer flag value within [min, max]. The message quotes the text as given, so a
 * value too large for a double is not echoed back as `1e+20`.
 *
 * @example
 * parseInteger('--seed', '42', 0); // 42
 */
export function parseInteger(
  flag: string,
  text: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const range =
    max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in ${min}..${max}`;
  if (!/^-?\d+$/.test(text.trim())) throw new UsageError(`${flag} must be ${range}, got "${text}"`);
  const value = Number(text);
  if (value < min || value > max)
    throw new UsageError(`${flag} must be ${range}, got ${text.trim()}`);
  return value;
}

/**
 * Parses a comma-separated list whose items must each be one of `allowed` (no duplicates).
 *
 * @example
 * parseList('--losses', 'dl,rpdl', ['wcel', 'dl', 'rpdl']); // ['dl', 'rpdl']
 */
export function parseList<T extends string>(
  flag: string,
  text: string,
  allowed: readonly T[],
): T[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) {
    throw new UsageError(
      `${flag} must be a comma-separated list without empty items, got "${text}"`,
    );
  }
  const result: T[] = [];
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) {
      throw new UsageError(
        `${flag}: unknown value "${item}"; expected one of ${allowed.join(', ')}`,
      );
    }
    if (result.includes(item as T)) {
      throw new UsageError(`${flag}: "${item}" is listed twice; list each value once`);
    }
    result.push(item as T);
  }
  return result;
}

/**
 * Parses `--folds`: comma-separated 0-based fold indices and inclusive ranges (`0,2,5-8`), or
 * `all`. A fold listed twice (also through overlapping ranges) is a mistake, as for `--losses`.
 *
 * @example
 * parseFolds('0,3-5'); // [0, 3, 4, 5]
 */
export function parseFolds(text: string): number[] | undefined {
  if (text.trim() === 'all') return undefined;
  const folds: number[] = [];
  for (const part of text.split(',')) {
    const match = /^\s*(\d{1,6})\s*(?:-\s*(\d{1,6})\s*)?$/.exec(part);
    if (!match) {
      throw new UsageError(
        `--folds must list 0-based fold numbers or ranges like 0,2,4-6 (or "all"), got "${text}"`,
      );
    }
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (to < from)
      throw new UsageError(
        `--folds: range ${part.trim()} runs backwards; write it as ${to}-${from}`,
      );
    for (let f = from; f <= to; f++) {
      if (folds.includes(f)) {
        throw new UsageError(`--folds: fold ${f} is listed twice; list each fold once`);
      }
      folds.push(f);
    }
  }
  return folds.sort((a, b) => a - b);
}

/** Edge lengths the phantom generator supports. */
export const PHANTOM_SIZES: readonly PhantomSize[] = Object.freeze([16, 32, 64] as const);

/**
 * Parses a phantom edge length (16, 32 or 64).
 *
 * @example
 * parsePhantomSize('--size', '32'); // 32
 */
export function parsePhantomSize(flag: string, text: string): PhantomSize {
  const size = Number(text);
  if (!(PHANTOM_SIZES as readonly number[]).includes(size) || !/^\d+$/.test(text.trim())) {
    throw new UsageError(`${flag} must be one of ${PHANTOM_SIZES.join(', ')}, got "${text}"`);
  }
  return size as PhantomSize;
}

/**
 * Parses `--experiment 1|2|both`.
 *
 * @example
 * parseExperiments('both'); // [1, 2]
 */
export function parseExperiments(text: string): ExperimentId[] {
  switch (text.trim()) {
    case '1':
      return [1];
    case '2':
      return [2];
    case 'both':
      return [1, 2];
    default:
      throw new UsageError(`--experiment must be 1, 2 or both, got "${text}"`);
  }
}

/**
 * Parses a value that must be one of a fixed set.
 *
 * @example
 * parseChoice('--backend', 'cpu', BACKEND_NAMES); // 'cpu'
 */
export function parseChoice<T extends string>(
  flag: string,
  text: string,
  allowed: readonly T[],
): T {
  if (!(allowed as readonly string[]).includes(text)) {
    throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got "${text}"`);
  }
  return text as T;
}

/**
 * Parses `--learning-rate`: a number in (0, 1).
 *
 * @example
 * parseLearningRate('1e-4'); // 0.0001
 */
export function parseLearningRate(text: string): number {
  const value = Number(text);
  if (!/^\s*[0-9.eE+-]+\s*$/.test(text) || !(value > 0 && value < 1)) {
    throw new UsageError(`--learning-rate must be a number in (0, 1), got "${text}"`);
  }
  return value;
}

/** Every `--profile` value. */
export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

/**
 * A string option's value, or undefined when it was not given.
 *
 * @example
 * stringOption({ out: 'runs' }, 'out'); // 'runs'
 */
export function stringOption(
  values: Readonly<Record<string, string | boolean | undefined>>,
  key: string,
): string | undefined {
  const value = values[key];
  return typeof value === 'string' ? value : undefined;
}
