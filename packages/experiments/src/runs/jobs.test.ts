import { describe, expect, it } from 'vitest';
import { parseOmpThreads, planJobs } from './jobs.js';

describe('parseOmpThreads', () => {
  it('reads a single positive integer and treats unset or empty as unset', () => {
    expect(parseOmpThreads('3')).toBe(3);
    expect(parseOmpThreads(' 2 ')).toBe(2);
    expect(parseOmpThreads(undefined)).toBeUndefined();
    expect(parseOmpThreads('')).toBeUndefined();
  });
  it('rejects zero, lists and words, naming the variable and the value', () => {
    expect(() => parseOmpThreads('0')).toThrow('OMP_NUM_THREADS must be a positive integer, got "0"');
    expect(() => parseOmpThreads('4,2')).toThrow(/got "4,2"/);
    expect(() => parseOmpThreads('many')).toThrow(/got "many"/);
  });
});

describe('planJobs', () => {
  it('by default gives every core a single-threaded worker', () => {
    expect(planJobs({ cores: 2, runs: 48 })).toMatchObject({ jobs: 2, threadsPerJob: 1 });
    expect(planJobs({ cores: 16, runs: 48 })).toMatchObject({ jobs: 16, threadsPerJob: 1 });
  });
  it("divides the cores by the user's OMP_NUM_THREADS, keeping jobs × threads ≤ cores", () => {
    for (const cores of [1, 2, 3, 7, 8, 64]) {
      for (const threads of [1, 2, 3, 4, 8]) {
        const plan = planJobs({ cores, runs: 1000, ompNumThreads: String(threads) });
        expect(plan.threadsPerJob).toBe(threads);
        expect(plan.jobs).toBe(Math.max(1, Math.floor(cores / threads)));
        if (threads <= cores) expect(plan.jobs * plan.threadsPerJob).toBeLessThanOrEqual(cores);
      }
    }
  });
  it('never starts more workers than there are runs', () => {
    expect(planJobs({ cores: 8, runs: 3 })).toMatchObject({ jobs: 3, threadsPerJob: 1 });
    expect(planJobs({ requested: 4, cores: 8, runs: 2 })).toMatchObject({ jobs: 2, threadsPerJob: 4 });
    expect(planJobs({ cores: 8, runs: 0 }).jobs).toBe(1);
  });
  it('obeys --jobs and shares the cores between its workers', () => {
    expect(planJobs({ requested: 2, cores: 8, runs: 48 })).toMatchObject({ jobs: 2, threadsPerJob: 4 });
    expect(planJobs({ requested: 3, cores: 8, runs: 48 })).toMatchObject({ jobs: 3, threadsPerJob: 2 });
    // More jobs than cores is the user's call; each still gets one thread.
    expect(planJobs({ requested: 4, cores: 2, runs: 48 })).toMatchObject({ jobs: 4, threadsPerJob: 1 });
    expect(
      planJobs({ requested: 2, cores: 8, runs: 48, ompNumThreads: '1' }),
    ).toMatchObject({ jobs: 2, threadsPerJob: 1 });
  });
  it('says why in its reason', () => {
    expect(planJobs({ cores: 2, runs: 48 }).reason).toBe('2 core(s) / 1 thread(s) per job');
    expect(planJobs({ requested: 4, cores: 8, runs: 2 }).reason).toBe('--jobs 4 (only 2 run(s))');
  });
  it('rejects a non-positive or fractional job or core count', () => {
    expect(() => planJobs({ requested: 0, cores: 2, runs: 4 })).toThrow(
      '--jobs must be a positive integer, got 0',
    );
    expect(() => planJobs({ requested: 1.5, cores: 2, runs: 4 })).toThrow(/got 1.5/);
    expect(() => planJobs({ cores: 0, runs: 4 })).toThrow('cores must be a positive integer, got 0');
  });
});
