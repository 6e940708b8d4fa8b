import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diagnoseMissingAddon, type UnavailableCause } from './build-diagnosis.js';

/**
 * The addon's functions. Tensors are passed as Float32Arrays in tfjs's layout (NDHWC activations,
 * [kd, kh, kw, in, out] filters) and outputs are written into caller-allocated arrays. `params`
 * packs 27 integers: three 5-long shapes, then strides, dilations, padding before and after
 * (3 each, depth/height/width); see {@link convParams}.
 */
export interface NativeAddon {
  conv3dForward(x: Float32Array, filter: Float32Array, y: Float32Array, params: Int32Array): void;
  conv3dBackwardData(
    dy: Float32Array,
    filter: Float32Array,
    dx: Float32Array,
    params: Int32Array,
  ): void;
  conv3dBackwardFilter(
    x: Float32Array,
    dy: Float32Array,
    dw: Float32Array,
    params: Int32Array,
  ): void;
  maxPool3dForward(x: Float32Array, y: Float32Array, params: Int32Array): void;
  maxPool3dBackward(dy: Float32Array, x: Float32Array, dx: Float32Array, params: Int32Array): void;
  /** Max pooling for non-overlapping windows. */
  maxPool3dForwardDirect(x: Float32Array, y: Float32Array, params: Int32Array): void;
  /** Max-pooling gradient for non-overlapping windows; `dx` must be zero-filled. */
  maxPool3dGradDirect(
    dy: Float32Array,
    x: Float32Array,
    dx: Float32Array,
    params: Int32Array,
  ): void;
  onednnVersion(): string;
  /** `op`: see {@link BinaryOp}; modes: see {@link OperandMode}; `out` is a Uint8Array for comparisons. */
  binary(
    op: number,
    a: Float32Array,
    aMode: number,
    b: Float32Array,
    bMode: number,
    out: Float32Array | Uint8Array,
  ): void;
  /** `x` viewed as [outer, mid, inner]: out[o, i] = scale · Σ_m x[o, m, i] (double accumulation). */
  reduceSum(
    x: Float32Array,
    out: Float32Array,
    outer: number,
    mid: number,
    inner: number,
    scale: number,
  ): void;
  /** For each row r: copy `bytes` from src[r·srcRow + srcOffset] to dst[r·dstRow + dstOffset] (all in bytes). */
  copyRows(
    src: ArrayBufferView,
    dst: ArrayBufferView,
    rows: number,
    srcRowBytes: number,
    srcOffsetBytes: number,
    dstRowBytes: number,
    dstOffsetBytes: number,
    bytes: number,
  ): void;
  leakyRelu(x: Float32Array, out: Float32Array, alpha: number): void;
  /** out[i] = x[i] > 0 ? dy[i] : α·dy[i] (α rounded to float32). */
  leakyReluGrad(dy: Float32Array, x: Float32Array, out: Float32Array, alpha: number): void;
  select(condition: Uint8Array, t: Float32Array, e: Float32Array, out: Float32Array): void;
  /** `op`: see {@link UnaryOp}. */
  unary(op: number, x: Float32Array, out: Float32Array): void;
  /**
   * Fused normalisation of x viewed as [blocks, rows, channels] with statistics per block and
   * channel group: y = γ·(x − μ)/√(σ² + ε) + β; writes y and the [blocks, groups] mean and biased
   * variance.
   */
  channelNormForward(
    x: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    y: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    blocks: number,
    rows: number,
    channels: number,
    groups: number,
    epsilon: number,
  ): void;
  /** Gradient of {@link NativeAddon.channelNormForward} for x, γ and β, from its statistics. */
  channelNormBackward(
    dy: Float32Array,
    x: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    gamma: Float32Array,
    dx: Float32Array,
    dgamma: Float32Array,
    dbeta: Float32Array,
    blocks: number,
    rows: number,
    channels: number,
    groups: number,
    epsilon: number,
  ): void;
  /**
   * Nearest-neighbour up-sampling of x `[batch, d, h, w, c]` by `[sd, sh, sw]` into y
   * `[batch, sd·d, sh·h, sw·w, c]`.
   */
  upSampling3dForward(
    x: Float32Array,
    y: Float32Array,
    batch: number,
    d: number,
    h: number,
    w: number,
    c: number,
    sd: number,
    sh: number,
    sw: number,
  ): void;
  /** Gradient of {@link NativeAddon.upSampling3dForward}: dx is the sum of dy over each block. */
  upSampling3dBackward(
    dy: Float32Array,
    dx: Float32Array,
    batch: number,
    d: number,
    h: number,
    w: number,
    c: number,
    sd: number,
    sh: number,
    sw: number,
  ): void;
  /**
   * Fused Adam update of one weight tensor: writes w′, m′, v′ (see `ADAM_UPDATE_KERNEL`).
   */
  adamUpdate(
    w: Float32Array,
    m: Float32Array,
    v: Float32Array,
    g: Float32Array,
    wOut: Float32Array,
    mOut: Float32Array,
    vOut: Float32Array,
    beta1: number,
    beta2: number,
    epsilon: number,
    learningRate: number,
    correction1: number,
    correction2: number,
  ): void;
  /** OpenMP threads the kernels run on. */
  threads(): number;
}

/** Operation codes of {@link NativeAddon.binary}. */
export const BinaryOp = {
  Add: 0,
  Sub: 1,
  Mul: 2,
  Div: 3,
  SquaredDifference: 4,
  Greater: 5,
  Maximum: 6,
  Minimum: 7,
} as const;

/** Operation codes of {@link NativeAddon.unary}. */
export const UnaryOp = {
  Square: 0,
  Neg: 1,
  Sigmoid: 2,
  Exp: 3,
  Sqrt: 4,
  Rsqrt: 5,
  Log: 6,
} as const;

/** How a binary operand maps onto the output: same index, a repeated trailing block, or one value. */
export const OperandMode = { Full: 0, Trailing: 1, Scalar: 2 } as const;

/** Outcome of loading the addon: the addon, or one line saying why not and how to enable it. */
export type AddonLoad =
  | { addon: NativeAddon; reason?: undefined; cause?: undefined }
  | { addon?: undefined; reason: string; cause: UnavailableCause };

const REBUILD =
  'rebuild it: npm rebuild @rpdl/cpu-kernels, or pnpm rebuild @rpdl/cpu-kernels (in the rpdl repository: pnpm --filter @rpdl/cpu-kernels build:native)';

/** The addon file, relative to this module in both `src/` and `dist/`. */
export function addonPath(): string {
  return join(
    dirname(fileURLToPath(import.meta.url)),
    '..',
    'native',
    'build',
    'Release',
    'rpdl_cpu_kernels.node',
  );
}

let cached: AddonLoad | undefined;

/**
 * Loads the native addon once; never throws. `RPDL_CPU_KERNELS_DISABLE=1` makes it report
 * unavailable, which is how the stock kernels are kept on a machine that has the addon;
 * `RPDL_CPU_KERNELS_ADDON` names another addon file.
 *
 * @example
 * const { addon, reason } = loadNativeAddon();
 * if (!addon) console.warn(reason);
 */
export function loadNativeAddon(): AddonLoad {
  if (cached) return cached;
  cached = tryLoad();
  return cached;
}

function tryLoad(): AddonLoad {
  if (process.env.RPDL_CPU_KERNELS_DISABLE === '1') {
    return { reason: 'native kernels disabled by RPDL_CPU_KERNELS_DISABLE=1', cause: 'disabled' };
  }
  const custom = process.env.RPDL_CPU_KERNELS_ADDON;
  if (custom !== undefined && !existsSync(custom)) {
    return {
      reason: `native addon not found at ${custom} (RPDL_CPU_KERNELS_ADDON); unset it to use the package's own build`,
      cause: 'load-failed',
    };
  }
  const path = custom ?? addonPath();
  if (!existsSync(path)) return diagnoseMissingAddon(join(dirname(path), '..', 'status.json'));
  // libgomp reads its settings when the addon pulls it in. Idle OpenMP workers that spin keep a
  // core busy while JavaScript runs the kernels that stay in tfjs, so make them sleep instead.
  process.env.OMP_WAIT_POLICY ??= 'passive';
  try {
    const addon = createRequire(import.meta.url)(path) as NativeAddon;
    addon.onednnVersion();
    return { addon };
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    return { reason: `native addon failed to load (${message}); ${REBUILD}`, cause: 'load-failed' };
  }
}
