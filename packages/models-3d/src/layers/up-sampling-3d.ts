import {
  concat,
  reshape,
  type serialization,
  type Tensor,
  type Tensor5D,
  tidy,
} from '@tensorflow/tfjs-core';
import { layers, type Shape } from '@tensorflow/tfjs-layers';
import { namespacedClassName, withDefaultName } from './class-name.js';
import { channelsOfRank5, type LayerArgs, singleInput, singleShape } from './layer-types.js';
import { fusedUpSampling3d, fusedUpSampling3dAvailable } from './up-sampling-kernel.js';

/** Options of {@link UpSampling3D}. */
export interface UpSampling3DArgs extends LayerArgs {
  /** Repeat factor per spatial axis (one integer for all three, or `[d, h, w]`). Default 2. */
  size?: number | [number, number, number];
}

function normaliseSize(size: number | [number, number, number]): [number, number, number] {
  const sizes: number[] = typeof size === 'number' ? [size, size, size] : [...size];
  if (sizes.length !== 3 || !sizes.every((s) => Number.isInteger(s) && s >= 1)) {
    throw new RangeError(
      `UpSampling3D size must be a positive integer or three positive integers, got ${JSON.stringify(size)}`,
    );
  }
  return sizes as [number, number, number];
}

/**
 * Repeats each voxel along one axis of `x`: viewing the tensor as `[outer, n, 1, inner]` and
 * concatenating copies along the unit axis keeps every op rank 4, whose gradients (slice) exist
 * on every backend — unlike `tile`/`broadcastTo`, whose gradient stops at rank 4.
 */
function repeatAxis(x: Tensor, axis: number, times: number): Tensor {
  if (times === 1) return x;
  const shape = x.shape;
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const n = shape[axis] as number;
  const view = reshape(x, [outer, n, 1, inner]);
  const repeated = concat(
    Array.from({ length: times }, () => view),
    2,
  );
  const outShape = [...shape];
  outShape[axis] = n * times;
  return reshape(repeated, outShape);
}

/**
 * Nearest-neighbour 3D up-sampling of channels-last `[batch, D, H, W, C]` input (Keras
 * `UpSampling3D`): output `[batch, s_d·D, s_h·H, s_w·W, C]`, each voxel repeated.
 */
export class UpSampling3D extends layers.Layer {
  static className = namespacedClassName('UpSampling3D');
  readonly size: [number, number, number];

  constructor(args: UpSampling3DArgs = {}) {
    super(withDefaultName(args, 'UpSampling3D'));
    this.size = normaliseSize(args.size ?? 2);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape, UpSampling3D.className);
    channelsOfRank5(shape, UpSampling3D.className);
    const [sd, sh, sw] = this.size;
    const scale = (n: number | null, s: number) => (n == null ? null : n * s);
    return [
      shape[0] ?? null,
      scale(shape[1] ?? null, sd),
      scale(shape[2] ?? null, sh),
      scale(shape[3] ?? null, sw),
      shape[4] ?? null,
    ];
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tidy(() => {
      const x = singleInput(inputs, UpSampling3D.className);
      channelsOfRank5(x.shape, UpSampling3D.className);
      const [sd, sh, sw] = this.size;
      // One kernel forward and one backward when the backend has them, instead of three
      // concatenations and three splits.
      if (fusedUpSampling3dAvailable()) {
        return fusedUpSampling3d(x as Tensor5D, { size: [sd, sh, sw] });
      }
      return repeatAxis(repeatAxis(repeatAxis(x, 1, sd), 2, sh), 3, sw);
    });
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), size: [...this.size] };
  }
}

/**
 * Creates an {@link UpSampling3D} layer.
 *
 * @example
 * const y = upSampling3d({ size: 2 }).apply(input({ shape: [8, 8, 8, 4] })); // [null, 16, 16, 16, 4]
 */
export function upSampling3d(args?: UpSampling3DArgs): UpSampling3D {
  return new UpSampling3D(args);
}
