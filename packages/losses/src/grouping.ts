import { sum, type Tensor } from '@tensorflow/tfjs-core';

/**
 * Which voxels share one Dice ratio. By default all of the batch does (the paper's sums over N).
 */
export interface GroupingOptions {
  /**
   * One ratio per sample (axis 0), then the mean over the batch. Default false: one ratio over
   * the whole batch, as in the paper.
   */
  perSample?: boolean;
  /**
   * One ratio per channel (last axis, channels-last), then the mean over channels: the
   * multi-class one-hot case treated as binary sub-tasks. Default false.
   */
  perChannel?: boolean;
}

/** The axes the sums run over: all but the batch axis and/or the channel axis when asked. */
export function reductionAxes(rank: number, options: GroupingOptions): number[] {
  const axes: number[] = [];
  for (let axis = 0; axis < rank; axis++) {
    if (options.perSample === true && axis === 0) continue;
    if (options.perChannel === true && axis === rank - 1) continue;
    axes.push(axis);
  }
  return axes;
}

/** Sums over `axes` keeping them as size-1 dims, so the result broadcasts back onto the input. */
export function groupSum(x: Tensor, axes: readonly number[]): Tensor {
  // tfjs reads an empty axis list as "all axes"; no axes means every element is its own group.
  return axes.length === 0 ? x : sum(x, [...axes], true);
}

/** Number of separate ratios: the product of the dims not summed over. */
export function groupCount(shape: readonly number[], axes: readonly number[]): number {
  let count = 1;
  for (let axis = 0; axis < shape.length; axis++) {
    if (!axes.includes(axis)) count *= shape[axis]!;
  }
  return count;
}

export function assertGrouping(fn: string, options: GroupingOptions): void {
  for (const key of ['perSample', 'perChannel'] as const) {
    const v = options[key];
    if (v !== undefined && typeof v !== 'boolean') {
      throw new TypeError(`${fn}: ${key} must be a boolean, got ${String(v)}`);
    }
  }
}
