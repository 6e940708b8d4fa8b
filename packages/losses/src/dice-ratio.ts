import {
  add,
  div,
  equal,
  mean,
  mul,
  type Scalar,
  sub,
  type Tensor,
  where,
} from '@tensorflow/tfjs-core';
import { type CheckedInputs, readChecked } from './validate.js';

/**
 * `1 − mean over groups of (2·overlap + s) / (total + s)`: the shape shared by Eq. 2, Eq. 3 and
 * the authors'-code loss, which differ only in what `overlap` and `total` sum.
 * Fails on inputs that break their rules (see `readChecked`), and on a zero denominator when
 * `smooth` is 0 (the loss is 0/0); with validation off, checks nothing and downloads nothing.
 */
export function smoothedRatioLoss(
  fn: string,
  overlap: Tensor,
  total: Tensor,
  smooth: number,
  checked: CheckedInputs,
  rulesVerified = false,
): Scalar {
  const totals = readChecked(fn, [overlap, total], checked, rulesVerified)?.[1];
  if (smooth === 0 && totals?.some((v) => v === 0)) {
    throw new RangeError(
      `${fn}: the denominator is 0 (empty target and prediction) and smooth is 0, so the loss is 0/0; use smooth > 0`,
    );
  }
  return sub(1, mean(div(add(mul(overlap, 2), smooth), add(total, smooth)))) as Scalar;
}

/**
 * `mean over groups of 2·overlap / total` for the metrics (Eq. 5, 6), which carry no ε; a group
 * whose target and prediction are both empty agrees perfectly and scores 1 instead of 0/0.
 */
export function ratioMetric(
  fn: string,
  overlap: Tensor,
  total: Tensor,
  probes: readonly Tensor[],
  checked: CheckedInputs,
): Scalar {
  readChecked(fn, [overlap, total, ...probes], checked);
  return mean(where(equal(total, 0), 1, div(mul(overlap, 2), total))) as Scalar;
}
