// The product's training step, shared by the benchmark, the profiler and the training-step test:
// a @rpdl/models-3d network, the CLI's RPDL loss on its segmentation output (plus Myronenko's
// VAE terms), backward, and the trainer's Adam (@rpdl/training, as `rpdl train` runs it).
import { rewardPenaltyDiceLoss } from '@rpdl/losses';
import { buildModel, type ModelName, myronenko2018Loss } from '@rpdl/models-3d';
import { Adam } from '@rpdl/training';
import {
  cast,
  dispose,
  greater,
  randomUniform,
  type Scalar,
  type Tensor,
  tidy,
  type Variable,
  variableGrads,
} from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** One benchmarked network and its input size. */
export interface StepCase {
  label: string;
  model: ModelName;
  size: number;
  batch: number;
  baseFilters: number;
  depth: number;
  dropout: number;
  /** Myronenko18's VAE latent size. */
  latent?: number;
}

/** The paper's settings (64³, base 4, depth 5), Myronenko18's own, and the CLI's quick profile. */
export const STEP_CASES: readonly StepCase[] = [
  {
    label: 'unet3d 64³ b2',
    model: 'unet3d',
    size: 64,
    batch: 2,
    baseFilters: 4,
    depth: 5,
    dropout: 0.3,
  },
  {
    label: 'vnet3d 64³ b2',
    model: 'vnet3d',
    size: 64,
    batch: 2,
    baseFilters: 4,
    depth: 5,
    dropout: 0.3,
  },
  {
    label: 'isensee2017 64³ b2',
    model: 'isensee2017',
    size: 64,
    batch: 2,
    baseFilters: 4,
    depth: 5,
    dropout: 0.3,
  },
  {
    label: 'myronenko2018 base 32 64³ b1',
    model: 'myronenko2018',
    size: 64,
    batch: 1,
    baseFilters: 32,
    depth: 4,
    dropout: 0,
    latent: 128,
  },
  {
    label: 'myronenko2018 base 8 64³ b2',
    model: 'myronenko2018',
    size: 64,
    batch: 2,
    baseFilters: 8,
    depth: 4,
    dropout: 0,
    latent: 128,
  },
  {
    label: 'quick profile: unet3d 16³ b2',
    model: 'unet3d',
    size: 16,
    batch: 2,
    baseFilters: 4,
    depth: 3,
    dropout: 0,
  },
];

/** Builds a case's network with a fixed seed. */
export function buildCaseModel(c: StepCase): LayersModel {
  const inputShape: [number, number, number, number] = [c.size, c.size, c.size, 1];
  const common = { inputShape, baseFilters: c.baseFilters, depth: c.depth, seed: 1 };
  return c.model === 'myronenko2018'
    ? buildModel('myronenko2018', { ...common, vaeLatentDim: c.latent ?? 128 })
    : buildModel(c.model, { ...common, dropout: c.dropout });
}

/** Trainable parameters (Keras' count without the batch-norm moving statistics). */
export function trainableParams(net: LayersModel): number {
  return net.trainableWeights.reduce((n, w) => n + w.read().size, 0);
}

/** A batch: input in [-1, 1), its binary target and a reward-penalty map in [-1, 1). */
export function makeBatch(c: StepCase, seed = 1): { x: Tensor; y: Tensor; rpMap: Tensor } {
  const shape = [c.batch, c.size, c.size, c.size, 1];
  const x = randomUniform(shape, -1, 1, 'float32', seed);
  const y = tidy(() => cast(greater(x, 0), 'float32'));
  const rpMap = randomUniform(shape, -1, 1, 'float32', seed + 1);
  return { x, y, rpMap };
}

/** The CLI's RPDL objective on the network's outputs (Myronenko18: plus 0.1·L2 + 0.1·KL). */
export function productLoss(net: LayersModel, x: Tensor, y: Tensor, rpMap: Tensor): Scalar {
  const out = net.apply(x, { training: true });
  if (!Array.isArray(out)) return rewardPenaltyDiceLoss(y, out as Tensor, rpMap);
  const [seg, reconstruction, zMean, zLogVar] = out as Tensor[];
  return myronenko2018Loss({
    segmentationLoss: rewardPenaltyDiceLoss(y, seg as Tensor, rpMap),
    input: x,
    reconstruction: reconstruction as Tensor,
    zMean: zMean as Tensor,
    zLogVar: zLogVar as Tensor,
  });
}

/** One Adam training step of the case's network on a fixed batch; returns a function running it. */
export function productStep(c: StepCase): { net: LayersModel; step: () => number } {
  const net = buildCaseModel(c);
  const { x, y, rpMap } = makeBatch(c);
  const trainable = net.trainableWeights.map((w) => w.read() as Variable);
  const adam = new Adam(trainable, { learningRate: 1e-4 });
  const step = () => {
    const { value, grads } = variableGrads(() => productLoss(net, x, y, rpMap), trainable);
    adam.applyGradients(trainable.map((v) => grads[v.name]));
    const loss = value.dataSync()[0] ?? Number.NaN;
    dispose([value, ...Object.values(grads)]);
    return loss;
  };
  return { net, step };
}
