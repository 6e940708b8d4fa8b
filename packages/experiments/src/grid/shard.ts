/**
 * A shard specification that cannot be used: a malformed `--shard i/n`, or scheduler variables
 * (Slurm, Kubernetes) that do not describe a shard of this job.
 */
export class ShardSpecError extends Error {
  override name = 'ShardSpecError';
}

/** One slice of a deterministic run list: shard `index` (0-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/**
 * Parses `--shard i/n` (0-based i, 0 ≤ i < n).
 *
 * @example
 * parseShard('1/4'); // { index: 1, count: 4 }
 */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) {
    throw new ShardSpecError(`--shard must look like i/n (e.g. 0/4), got "${text}"`);
  }
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index >= count) {
    throw new ShardSpecError(`--shard ${text}: need 0 ≤ i < n and n ≥ 1`);
  }
  return { index, count };
}

/**
 * The runs shard `index` of `count` owns: every count-th item starting at index, so shards stay
 * balanced when the grid is ordered by cost.
 *
 * @example
 * selectShard([0, 1, 2, 3, 4], { index: 1, count: 2 }); // [1, 3]
 */
export function selectShard<T>(items: readonly T[], shard: Shard): T[] {
  return items.filter((_, i) => i % shard.count === shard.index);
}

/** Environment variables a scheduler sets; the names are the schedulers' own. */
export interface ShardEnvironment {
  SLURM_ARRAY_TASK_ID?: string | undefined;
  SLURM_ARRAY_TASK_COUNT?: string | undefined;
  SLURM_ARRAY_TASK_MIN?: string | undefined;
  JOB_COMPLETION_INDEX?: string | undefined;
  RPDL_SHARD_COUNT?: string | undefined;
}

function integerVariable(env: ShardEnvironment, name: keyof ShardEnvironment): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  if (!/^\d+$/.test(text.trim())) {
    throw new ShardSpecError(`${name} must be a non-negative integer, got "${text}"`);
  }
  return Number(text);
}

/**
 * Which shard this process runs, from (in order of precedence) `--shard i/n`; a Slurm job array
 * (`SLURM_ARRAY_TASK_ID` − `SLURM_ARRAY_TASK_MIN` of `SLURM_ARRAY_TASK_COUNT`); a Kubernetes Indexed
 * Job (`JOB_COMPLETION_INDEX` of `--shard-count` or `RPDL_SHARD_COUNT`, since Kubernetes does not
 * export the completion count). Undefined when none applies: the process runs the whole grid.
 *
 * @example
 * resolveShard({ env: { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '8' } });
 * // { index: 3, count: 8 }
 */
export function resolveShard(options: {
  flag?: string | undefined;
  countFlag?: number | undefined;
  env: ShardEnvironment;
}): Shard | undefined {
  const { flag, countFlag, env } = options;
  if (flag !== undefined) return parseShard(flag);
  const slurmId = integerVariable(env, 'SLURM_ARRAY_TASK_ID');
  if (slurmId !== undefined) {
    const count = integerVariable(env, 'SLURM_ARRAY_TASK_COUNT');
    if (count === undefined || count < 1) {
      throw new ShardSpecError(
        'SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not (need ≥ 1)',
      );
    }
    const index = slurmId - (integerVariable(env, 'SLURM_ARRAY_TASK_MIN') ?? 0);
    if (index < 0 || index >= count) {
      throw new ShardSpecError(
        `Slurm array task ${slurmId} is outside 0..${count - 1} after subtracting SLURM_ARRAY_TASK_MIN; submit with --array=0-${count - 1}`,
      );
    }
    return { index, count };
  }
  const completionIndex = integerVariable(env, 'JOB_COMPLETION_INDEX');
  if (completionIndex !== undefined) {
    const count = countFlag ?? integerVariable(env, 'RPDL_SHARD_COUNT');
    if (count === undefined || count < 1) {
      throw new ShardSpecError(
        "JOB_COMPLETION_INDEX is set but the shard count is unknown: pass --shard-count N or set RPDL_SHARD_COUNT to the Job's completions",
      );
    }
    if (completionIndex >= count) {
      throw new ShardSpecError(
        `JOB_COMPLETION_INDEX ${completionIndex} must be below the shard count ${count}`,
      );
    }
    return { index: completionIndex, count };
  }
  if (countFlag !== undefined) {
    throw new ShardSpecError(
      '--shard-count needs JOB_COMPLETION_INDEX in the environment; use --shard i/n instead',
    );
  }
  return undefined;
}
