import { parseArgs } from 'node:util';
import type { PhantomSize } from '@rpdl/cm-dataset';
import type { ModelName } from '@rpdl/models-3d';
import { type ExperimentId, LOSS_NAMES, type LossName, MODEL_ORDER } from '../grid/grid.js';
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
  seed: number;
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
  model: string;
  input: string;
  output?: string;
  backend: BackendName;
}

/** `rpdl help [command]`, `--help`, or no command at all. */
export interface HelpArgs {
  command: 'help';
  topic?: string;
}

/** Any parsed command line. */
export type CliArgs =
  | ReproduceArgs
  | ReportArgs
  | BaselineArgs
  | PhantomArgs
  | PredictArgs
  | HelpArgs;

/** The commands `rpdl` knows. */
export const COMMANDS = ['reproduce', 'report', 'baseline', 'phantom', 'predict', 'help'] as const;

/** The default seed of every command that draws random numbers. */
export const DEFAULT_SEED = 1234;

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

function parseStrict(
  command: string,
  argv: readonly string[],
  options: OptionSpec,
  maxPositionals: number,
) {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`rpdl ${command}: ${message.replace(/\. To specify.*$/s, '')}`);
  }
  if (parsed.positionals.length > maxPositionals) {
    const extra = parsed.positionals.slice(maxPositionals).join(' ');
    throw new UsageError(`rpdl ${command}: unexpected argument(s) "${extra}"`);
  }
  return parsed as {
    values: Record<string, string | boolean | undefined>;
    positionals: string[];
  };
}

function str(values: Record<string, string | boolean | undefined>, key: string) {
  const value = values[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Parses an integer flag value within [min, max].
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
  if (!/^-?\d+$/.test(text.trim())) {
    throw new UsageError(`${flag} must be an integer, got "${text}"`);
  }
  const value = Number(text);
  if (value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in ${min}..${max}`;
    throw new UsageError(`${flag} must be ${range}, got ${value}`);
  }
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
    if (result.includes(item as T)) throw new UsageError(`${flag}: "${item}" is listed twice`);
    result.push(item as T);
  }
  return result;
}

/**
 * Parses `--folds`: comma-separated 0-based fold indices and inclusive ranges (`0,2,5-8`), or `all`.
 *
 * @example
 * parseFolds('0,3-5'); // [0, 3, 4, 5]
 */
export function parseFolds(text: string): number[] | undefined {
  if (text.trim() === 'all') return undefined;
  const folds = new Set<number>();
  for (const part of text.split(',')) {
    const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!match) {
      throw new UsageError(
        `--folds must list 0-based fold numbers or ranges like 0,2,4-6 (or "all"), got "${text}"`,
      );
    }
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (to < from) throw new UsageError(`--folds: range ${part.trim()} runs backwards`);
    for (let f = from; f <= to; f++) folds.add(f);
  }
  return [...folds].sort((a, b) => a - b);
}

/** Edge lengths the phantom generator supports. */
export const PHANTOM_SIZES: readonly PhantomSize[] = Object.freeze([16, 32, 64] as const);

function parsePhantomSize(flag: string, text: string): PhantomSize {
  const size = Number(text);
  if (!(PHANTOM_SIZES as readonly number[]).includes(size) || !/^\d+$/.test(text.trim())) {
    throw new UsageError(`${flag} must be one of ${PHANTOM_SIZES.join(', ')}, got "${text}"`);
  }
  return size as PhantomSize;
}

function parseExperiments(text: string): ExperimentId[] {
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

function parseChoice<T extends string>(flag: string, text: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(text)) {
    throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got "${text}"`);
  }
  return text as T;
}

const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

function parseReproduce(argv: readonly string[]): ReproduceArgs | HelpArgs {
  const { values } = parseStrict(
    'reproduce',
    argv,
    {
      experiment: { type: 'string' },
      models: { type: 'string' },
      losses: { type: 'string' },
      folds: { type: 'string' },
      data: { type: 'string' },
      profile: { type: 'string' },
      backend: { type: 'string' },
      out: { type: 'string' },
      resume: { type: 'boolean' },
      shard: { type: 'string' },
      'shard-count': { type: 'string' },
      seed: { type: 'string' },
      epochs: { type: 'string' },
      'steps-per-epoch': { type: 'string' },
      'batch-size': { type: 'string' },
      'learning-rate': { type: 'string' },
      'phantom-size': { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      jobs: { type: 'string', short: 'j' },
    },
    0,
  );
  if (values.help) return { command: 'help', topic: 'reproduce' };
  const args: ReproduceArgs = {
    command: 'reproduce',
    profile: parseChoice('--profile', str(values, 'profile') ?? 'quick', PROFILE_NAMES),
    resume: values.resume === true,
    seed: DEFAULT_SEED,
    backend: parseChoice('--backend', str(values, 'backend') ?? 'auto', BACKEND_NAMES),
    overrides: {},
    quiet: values.quiet === true,
  };
  const text = (key: string) => str(values, key);
  const experiment = text('experiment');
  if (experiment !== undefined) args.experiments = parseExperiments(experiment);
  const models = text('models');
  if (models !== undefined) args.models = parseList('--models', models, MODEL_ORDER);
  const losses = text('losses');
  if (losses !== undefined) args.losses = parseList('--losses', losses, LOSS_NAMES);
  const folds = text('folds');
  if (folds !== undefined) {
    const parsed = parseFolds(folds);
    if (parsed !== undefined) args.folds = parsed;
  }
  const data = text('data');
  if (data !== undefined) args.data = data;
  const out = text('out');
  if (out !== undefined) args.out = out;
  const shard = text('shard');
  if (shard !== undefined) args.shard = shard;
  const shardCount = text('shard-count');
  if (shardCount !== undefined) args.shardCount = parseInteger('--shard-count', shardCount, 1);
  const jobs = text('jobs');
  if (jobs !== undefined) args.jobs = parseInteger('--jobs', jobs, 1, 256);
  const seed = text('seed');
  if (seed !== undefined) args.seed = parseInteger('--seed', seed, 0, 0xffffffff);
  const epochs = text('epochs');
  if (epochs !== undefined) args.overrides.maxEpochs = parseInteger('--epochs', epochs, 1);
  const steps = text('steps-per-epoch');
  if (steps !== undefined)
    args.overrides.stepsPerEpoch = parseInteger('--steps-per-epoch', steps, 1);
  const batch = text('batch-size');
  if (batch !== undefined) args.overrides.batchSize = parseInteger('--batch-size', batch, 1);
  const lr = text('learning-rate');
  if (lr !== undefined) {
    const value = Number(lr);
    if (!/^\s*[0-9.eE+-]+\s*$/.test(lr) || !(value > 0 && value < 1)) {
      throw new UsageError(`--learning-rate must be a number in (0, 1), got "${lr}"`);
    }
    args.overrides.learningRate = value;
  }
  const size = text('phantom-size');
  if (size !== undefined) {
    if (data !== undefined) throw new UsageError('--phantom-size and --data exclude each other');
    args.overrides.phantomSize = parsePhantomSize('--phantom-size', size);
  }
  return args;
}

function parseReport(argv: readonly string[]): ReportArgs | HelpArgs {
  const { values, positionals } = parseStrict('report', argv, {}, 1);
  if (values.help) return { command: 'help', topic: 'report' };
  const [out] = positionals;
  if (out === undefined)
    throw new UsageError('rpdl report: missing the output directory, e.g. rpdl report runs/quick');
  return { command: 'report', out };
}

function parseBaseline(argv: readonly string[]): BaselineArgs | HelpArgs {
  const { values } = parseStrict(
    'baseline',
    argv,
    {
      data: { type: 'string' },
      profile: { type: 'string' },
      'phantom-size': { type: 'string' },
      seed: { type: 'string' },
    },
    0,
  );
  if (values.help) return { command: 'help', topic: 'baseline' };
  const args: BaselineArgs = {
    command: 'baseline',
    profile: parseChoice('--profile', str(values, 'profile') ?? 'quick', PROFILE_NAMES),
    seed: DEFAULT_SEED,
  };
  const data = str(values, 'data');
  const size = str(values, 'phantom-size');
  if (data !== undefined && size !== undefined)
    throw new UsageError('--phantom-size and --data exclude each other');
  if (data !== undefined) args.data = data;
  if (size !== undefined) args.phantomSize = parsePhantomSize('--phantom-size', size);
  const seed = str(values, 'seed');
  if (seed !== undefined) args.seed = parseInteger('--seed', seed, 0, 0xffffffff);
  return args;
}

function parsePhantom(argv: readonly string[]): PhantomArgs | HelpArgs {
  const { values } = parseStrict(
    'phantom',
    argv,
    {
      out: { type: 'string' },
      size: { type: 'string' },
      seed: { type: 'string' },
      bones: { type: 'string' },
      surgeons: { type: 'string' },
    },
    0,
  );
  if (values.help) return { command: 'help', topic: 'phantom' };
  const out = str(values, 'out');
  if (out === undefined)
    throw new UsageError('rpdl phantom: --out <dir> is required (where x9_7.npy and y9_7.npy go)');
  const int = (key: string, fallback: number, min: number, max: number) => {
    const text = str(values, key);
    return text === undefined ? fallback : parseInteger(`--${key}`, text, min, max);
  };
  return {
    command: 'phantom',
    out,
    size: str(values, 'size') === undefined ? 64 : parsePhantomSize('--size', str(values, 'size')!),
    seed: int('seed', 2020, 0, 0xffffffff),
    bones: int('bones', 9, 2, 64),
    surgeons: int('surgeons', 7, 2, 64),
  };
}

function parsePredict(argv: readonly string[]): PredictArgs | HelpArgs {
  const { values } = parseStrict(
    'predict',
    argv,
    {
      model: { type: 'string' },
      input: { type: 'string' },
      output: { type: 'string' },
      backend: { type: 'string' },
    },
    0,
  );
  if (values.help) return { command: 'help', topic: 'predict' };
  const model = str(values, 'model');
  const input = str(values, 'input');
  if (model === undefined) throw new UsageError('rpdl predict: --model <run dir> is required');
  if (input === undefined) throw new UsageError('rpdl predict: --input <file.npy> is required');
  const args: PredictArgs = {
    command: 'predict',
    model,
    input,
    backend: parseChoice('--backend', str(values, 'backend') ?? 'auto', BACKEND_NAMES),
  };
  const output = str(values, 'output');
  if (output !== undefined) args.output = output;
  return args;
}

/**
 * Parses the `rpdl` command line (without the node and script paths). No command means
 * `reproduce` with the quick profile's defaults. Throws {@link UsageError} with a specific message
 * on any mistake.
 *
 * @example
 * parseCommandLine(['reproduce', '--experiment', '1', '--losses', 'dl,rpdl']);
 */
export function parseCommandLine(argv: readonly string[]): CliArgs {
  const [first, ...rest] = argv;
  if (first === undefined) return parseReproduce([]);
  if (first === '--help' || first === '-h') return { command: 'help' };
  if (first === 'help') {
    if (rest[0] !== undefined && !(COMMANDS as readonly string[]).includes(rest[0])) {
      throw new UsageError(`rpdl help: unknown command "${rest[0]}"`);
    }
    return rest[0] === undefined ? { command: 'help' } : { command: 'help', topic: rest[0] };
  }
  switch (first) {
    case 'reproduce':
      return parseReproduce(rest);
    case 'report':
      return parseReport(rest);
    case 'baseline':
      return parseBaseline(rest);
    case 'phantom':
      return parsePhantom(rest);
    case 'predict':
      return parsePredict(rest);
    default:
      if (first.startsWith('-')) return parseReproduce(argv);
      throw new UsageError(`unknown command "${first}"; expected one of ${COMMANDS.join(', ')}`);
  }
}
