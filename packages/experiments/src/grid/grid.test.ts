import { describe, expect, it } from 'vitest';
import { buildGrid, runId } from './grid.js';
import { resolveShard, selectShard } from './shard.js';

const layout = { bones: 9, surgeons: 7 };

describe('buildGrid', () => {
  it('lists experiments, models, losses, folds in canonical order whatever the input order', () => {
    const a = buildGrid({
      experiments: [2, 1],
      models: ['vnet3d', 'unet3d'],
      losses: ['rpdl', 'wcel'],
      layout,
    });
    const b = buildGrid({
      experiments: [1, 2],
      models: ['unet3d', 'vnet3d'],
      losses: ['wcel', 'rpdl'],
      layout,
    });
    expect(a).toEqual(b);
    // 2 models × 2 losses × (9 + 7 folds)
    expect(a).toHaveLength(64);
    expect(runId(a[0]!)).toBe('exp1/unet3d/wcel/fold-0');
    expect(runId(a[9]!)).toBe('exp1/unet3d/rpdl/fold-0');
    expect(runId(a[36]!)).toBe('exp2/unet3d/wcel/fold-0');
    expect(new Set(a.map(runId)).size).toBe(a.length);
  });

  it("is the quick profile's 48 runs for U-net × 3 losses × both experiments", () => {
    expect(
      buildGrid({
        experiments: [1, 2],
        models: ['unet3d'],
        losses: ['wcel', 'dl', 'rpdl'],
        layout,
      }),
    ).toHaveLength(48);
  });

  it('drops folds an experiment lacks and rejects folds no experiment has', () => {
    const grid = buildGrid({
      experiments: [1, 2],
      models: ['unet3d'],
      losses: ['dl'],
      folds: [8, 0],
      layout,
    });
    expect(grid.map(runId)).toEqual([
      'exp1/unet3d/dl/fold-0',
      'exp1/unet3d/dl/fold-8',
      'exp2/unet3d/dl/fold-0',
    ]);
    expect(() =>
      buildGrid({ experiments: [2], models: ['unet3d'], losses: ['dl'], folds: [7], layout }),
    ).toThrow(/fold 7 does not exist: experiment\(s\) 2 have folds 0\.\.6/);
    expect(() => buildGrid({ experiments: [1], models: [], losses: ['dl'], layout })).toThrow(
      /at least one of models/,
    );
  });
});

describe('shards', () => {
  const grid = buildGrid({
    experiments: [1, 2],
    models: ['unet3d'],
    losses: ['wcel', 'dl', 'rpdl'],
    layout,
  });

  it('partitions the grid: every run in exactly one shard, sizes differ by at most one', () => {
    for (const count of [1, 2, 3, 5, 48, 50]) {
      const parts = [...Array(count).keys()].map((index) => selectShard(grid, { index, count }));
      expect(parts.flat().map(runId).sort()).toEqual(grid.map(runId).sort());
      const sizes = parts.map((p) => p.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it('reads Slurm array and Kubernetes Indexed Job variables', () => {
    expect(
      resolveShard({ env: { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '8' } }),
    ).toEqual({ index: 3, count: 8 });
    expect(
      resolveShard({
        env: { SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '1' },
      }),
    ).toEqual({ index: 3, count: 4 });
    expect(resolveShard({ env: { JOB_COMPLETION_INDEX: '2', RPDL_SHARD_COUNT: '6' } })).toEqual({
      index: 2,
      count: 6,
    });
    expect(resolveShard({ countFlag: 5, env: { JOB_COMPLETION_INDEX: '4' } })).toEqual({
      index: 4,
      count: 5,
    });
    expect(resolveShard({ env: {} })).toBeUndefined();
  });

  it('lets --shard win over the environment', () => {
    expect(
      resolveShard({ flag: '0/2', env: { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '2' } }),
    ).toEqual({
      index: 0,
      count: 2,
    });
  });

  it.each([
    [{ SLURM_ARRAY_TASK_ID: '1' }, /SLURM_ARRAY_TASK_COUNT is not/],
    [{ SLURM_ARRAY_TASK_ID: '9', SLURM_ARRAY_TASK_COUNT: '4' }, /outside 0\.\.3/],
    [
      { SLURM_ARRAY_TASK_ID: 'x', SLURM_ARRAY_TASK_COUNT: '4' },
      /SLURM_ARRAY_TASK_ID must be a non-negative integer/,
    ],
    [{ JOB_COMPLETION_INDEX: '1' }, /pass --shard-count N or set RPDL_SHARD_COUNT/],
    [{ JOB_COMPLETION_INDEX: '6', RPDL_SHARD_COUNT: '6' }, /must be below the shard count 6/],
  ])('explains a bad scheduler environment %j', (env, message) => {
    expect(() => resolveShard({ env })).toThrow(message);
  });
});
