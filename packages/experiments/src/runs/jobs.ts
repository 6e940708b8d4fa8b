/** How many runs train at once, and how many OpenMP threads each worker process gets. */
export interface JobPlan {
  /** Worker processes (1 = train in this process, as without `--jobs`). */
  jobs: number;
  /** `OMP_NUM_THREADS` of each worker (the native kernels' thread pool). */
  threadsPerJob: number;
  /** Why this plan, in one line for the CLI's header. */
  reason: string;
}

/** What {@link planJobs} decides from. */
export interface JobPlanInput {
  /** `--jobs`, when given. */
  requested?: number;
  /** Logical cores available to this process (`os.availableParallelism()`). */
  cores: number;
  /** Runs to train; there is no point in more workers than runs. */
  runs: number;
  /** `OMP_NUM_THREADS` as set by the user, if at all. */
  ompNumThreads?: string | undefined;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/**
 * `OMP_NUM_THREADS` as a thread count: undefined when unset or empty, an error when it is not a
 * single positive integer (a per-level list such as `4,2` is not meaningful for these kernels).
 *
 * @example
 * parseOmpThreads('2'); // 2
 * parseOmpThreads(undefined); // undefined
 */
export function parseOmpThreads(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  if (!/^\s*\d+\s*$/.test(text) || Number(text) < 1) {
    throw new RangeError(`OMP_NUM_THREADS must be a positive integer, got "${text}"`);
  }
  return Number(text);
}

/**
 * Chooses the number of worker processes and the OpenMP threads of each so that
 * jobs × threads ≤ cores. Small volumes are bound by the per-op cost of the tfjs engine on one
 * JavaScript thread, so by default every core gets its own single-threaded worker; a user's
 * `OMP_NUM_THREADS` is kept and the default job count divides the cores by it. An explicit
 * `--jobs` is obeyed (capped at the number of runs), and its workers share the cores.
 *
 * @example
 * planJobs({ cores: 8, runs: 48 }); // { jobs: 8, threadsPerJob: 1, … }
 * planJobs({ cores: 8, runs: 48, ompNumThreads: '4' }); // { jobs: 2, threadsPerJob: 4, … }
 * planJobs({ requested: 2, cores: 8, runs: 48 }); // { jobs: 2, threadsPerJob: 4, … }
 */
export function planJobs(input: JobPlanInput): JobPlan {
  const cores = positiveInteger('cores', input.cores);
  const runs = Math.max(1, input.runs);
  const userThreads = parseOmpThreads(input.ompNumThreads);
  if (input.requested !== undefined) {
    const requested = positiveInteger('--jobs', input.requested);
    const jobs = Math.min(requested, runs);
    const threadsPerJob = userThreads ?? Math.max(1, Math.floor(cores / jobs));
    const capped = jobs < requested ? ` (only ${runs} run(s))` : '';
    return { jobs, threadsPerJob, reason: `--jobs ${requested}${capped}` };
  }
  const threadsPerJob = userThreads ?? 1;
  const byCores = Math.max(1, Math.floor(cores / threadsPerJob));
  const jobs = Math.min(byCores, runs);
  return {
    jobs,
    threadsPerJob,
    reason: `${cores} core(s) / ${threadsPerJob} thread(s) per job${jobs < byCores ? `, ${runs} run(s)` : ''}`,
  };
}
