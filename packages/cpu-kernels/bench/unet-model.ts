// A U-net-like 3D network built from tfjs-layers for the benchmark and the training-step test:
// per level two blocks conv3d 3×3×3 'same' → batch norm (batch statistics) → LeakyReLU, max
// pooling down, nearest up-sampling up, skip concatenation, a 1×1×1 sigmoid head.
import {
  add,
  concat,
  mean,
  moments,
  mul,
  reshape,
  rsqrt,
  type Scalar,
  type serialization,
  square,
  sub,
  type Tensor,
  tidy,
} from '@tensorflow/tfjs-core';
import {
  initializers,
  type LayersModel,
  layers,
  model,
  type SymbolicTensor,
} from '@tensorflow/tfjs-layers';

type LayerShape = (number | null)[];

/** Batch normalisation over batch and space of NDHWC input, with learned per-channel γ and β. */
class BatchNorm3D extends layers.Layer {
  static className = 'BenchBatchNorm3D';
  private gamma?: ReturnType<layers.Layer['addWeight']>;
  private beta?: ReturnType<layers.Layer['addWeight']>;

  override build(inputShape: LayerShape | LayerShape[]): void {
    const channels = (inputShape as LayerShape)[4] as number;
    this.gamma = this.addWeight('gamma', [channels], 'float32', initializers.ones());
    this.beta = this.addWeight('beta', [channels], 'float32', initializers.zeros());
    this.built = true;
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tidy(() => {
      const x = Array.isArray(inputs) ? (inputs[0] as Tensor) : inputs;
      const { gamma, beta } = this;
      if (!gamma || !beta) throw new Error('BatchNorm3D called before build');
      const stats = moments(x, [0, 1, 2, 3]);
      const scale = mul(gamma.read(), rsqrt(add(stats.variance, 1e-3)));
      const shift = sub(beta.read(), mul(stats.mean, scale));
      const c = [1, 1, 1, 1, scale.shape[0] as number];
      return add(mul(x, reshape(scale, c)), reshape(shift, c));
    });
  }

  override getConfig(): serialization.ConfigDict {
    return super.getConfig();
  }
}

/** Nearest-neighbour ×2 up-sampling of NDHWC input by repeating along each spatial axis. */
class UpSample2 extends layers.Layer {
  static className = 'BenchUpSample2';

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const [n, d, h, w, c] = inputShape as LayerShape;
    const twice = (v: number | null | undefined) => (v == null ? null : v * 2);
    return [n ?? null, twice(d), twice(h), twice(w), c ?? null];
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tidy(() => {
      let x = Array.isArray(inputs) ? (inputs[0] as Tensor) : inputs;
      for (const axis of [1, 2, 3]) {
        const shape = x.shape;
        const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
        const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
        const view = reshape(x, [outer, shape[axis] as number, 1, inner]);
        const out = [...shape];
        out[axis] = (shape[axis] as number) * 2;
        x = reshape(concat([view, view], 2), out);
      }
      return x;
    });
  }
}

/** Options of {@link buildUnet}. */
export interface UnetOptions {
  size: number;
  baseFilters: number;
  depth: number;
  seed: number;
}

/**
 * Builds the network; filters double per level.
 *
 * @example
 * const net = buildUnet({ size: 32, baseFilters: 4, depth: 5, seed: 1 });
 */
export function buildUnet({ size, baseFilters, depth, seed }: UnetOptions): LayersModel {
  let nextSeed = seed;
  const conv = (x: SymbolicTensor, filters: number, kernelSize: number) =>
    layers
      .conv3d({
        filters,
        kernelSize,
        padding: 'same',
        kernelInitializer: initializers.glorotUniform({ seed: nextSeed++ }),
        biasInitializer: initializers.randomUniform({
          minval: -0.1,
          maxval: 0.1,
          seed: nextSeed++,
        }),
      })
      .apply(x) as SymbolicTensor;
  const block = (x: SymbolicTensor, filters: number) => {
    const normed = new BatchNorm3D({}).apply(conv(x, filters, 3)) as SymbolicTensor;
    return layers.leakyReLU({ alpha: 0.3 }).apply(normed) as SymbolicTensor;
  };

  const input = layers.input({ shape: [size, size, size, 1] });
  const skips: SymbolicTensor[] = [];
  let x = input;
  for (let level = 0; level < depth; level++) {
    const filters = baseFilters * 2 ** level;
    if (level > 0) x = layers.maxPooling3d({ poolSize: 2, strides: 2 }).apply(x) as SymbolicTensor;
    x = block(block(x, filters), filters);
    skips.push(x);
  }
  for (let level = depth - 2; level >= 0; level--) {
    const filters = baseFilters * 2 ** level;
    const up = new UpSample2({}).apply(x) as SymbolicTensor;
    x = layers
      .concatenate({ axis: -1 })
      .apply([up, skips[level] as SymbolicTensor]) as SymbolicTensor;
    x = block(block(x, filters), filters);
  }
  const head = layers.conv3d({
    filters: 1,
    kernelSize: 1,
    activation: 'sigmoid',
    kernelInitializer: initializers.glorotUniform({ seed: nextSeed++ }),
  });
  return model({ inputs: input, outputs: head.apply(x) as SymbolicTensor });
}

/**
 * Mean squared error of the network's training-mode prediction.
 *
 * @example
 * const loss = unetLoss(net, x, y);
 */
export function unetLoss(net: LayersModel, x: Tensor, y: Tensor): Scalar {
  const prediction = net.apply(x, { training: true }) as Tensor;
  return mean(square(sub(prediction, y))) as Scalar;
}

/**
 * Multiply–adds ×2 of the network's convolutions for one forward pass of `batch` samples
 * (the backward pass costs about twice that again).
 *
 * @example
 * const gflop = unetForwardFlops({ size: 64, baseFilters: 4, depth: 5, seed: 1 }, 2) / 1e9;
 */
export function unetForwardFlops({ size, baseFilters, depth }: UnetOptions, batch: number): number {
  let flops = 0;
  const conv = (voxels: number, inC: number, outC: number, k: number) => {
    flops += 2 * batch * voxels * k ** 3 * inC * outC;
  };
  let inC = 1;
  for (let level = 0; level < depth; level++) {
    const f = baseFilters * 2 ** level;
    const voxels = (size / 2 ** level) ** 3;
    conv(voxels, inC, f, 3);
    conv(voxels, f, f, 3);
    inC = f;
  }
  for (let level = depth - 2; level >= 0; level--) {
    const f = baseFilters * 2 ** level;
    const voxels = (size / 2 ** level) ** 3;
    conv(voxels, inC + f, f, 3);
    conv(voxels, f, f, 3);
    inC = f;
  }
  conv(size ** 3, inC, 1, 1);
  return flops;
}
