import {
  add,
  dispose,
  div,
  mul,
  sqrt,
  square,
  sub,
  type Tensor,
  tidy,
  type Variable,
  variable,
  zerosLike,
} from '@tensorflow/tfjs-core';
import { fusedAdamAvailable, fusedAdamUpdate } from './adam-kernel.js';

/** Adam's hyperparameters; defaults are Keras's (β₁ 0.9, β₂ 0.999, ε 1e-7). */
export interface AdamOptions {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** What a checkpoint needs to continue Adam exactly: the step count and both moment estimates. */
export interface AdamState {
  step: number;
  firstMoments: Tensor[];
  secondMoments: Tensor[];
}

/**
 * Adam over a fixed list of variables, with a learning rate that can be changed between steps
 * (ReduceLROnPlateau) and a state that can be saved and restored exactly. tfjs's own optimizer
 * rebuilds its bias-correction terms with `pow` on restore, which differs in the last bits from
 * the product it accumulates while training, so a resumed run would drift from an uninterrupted
 * one; here the corrections are computed in float64 from the step count every time.
 *
 * @example
 * const adam = new Adam(model.trainableWeights.map((w) => w.read() as Variable), { learningRate: 1e-4 });
 * adam.applyGradients(gradients);
 */
export class Adam {
  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private step = 0;
  private readonly first: Variable[];
  private readonly second: Variable[];

  constructor(
    private readonly variables: readonly Variable[],
    options: AdamOptions,
  ) {
    if (!(options.learningRate > 0)) {
      throw new RangeError(`learningRate must be > 0, got ${options.learningRate}`);
    }
    this.learningRate = options.learningRate;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
    this.first = variables.map((v) => tidy(() => variable(zerosLike(v), false)));
    this.second = variables.map((v) => tidy(() => variable(zerosLike(v), false)));
  }

  /** Steps taken so far. */
  get iterations(): number {
    return this.step;
  }

  /**
   * One update. `gradients[i]` belongs to `variables[i]`; an undefined gradient leaves that
   * variable (and its moments) unchanged. The caller keeps ownership of the gradients.
   */
  applyGradients(gradients: ReadonlyArray<Tensor | undefined>): void {
    if (gradients.length !== this.variables.length) {
      throw new RangeError(`expected ${this.variables.length} gradients, got ${gradients.length}`);
    }
    const t = this.step + 1;
    const correction1 = 1 - this.beta1 ** t;
    const correction2 = 1 - this.beta2 ** t;
    // One kernel call per weight when the backend has the fused update, else the formula op by op.
    const fused = fusedAdamAvailable();
    tidy(() => {
      gradients.forEach((g, i) => {
        if (g === undefined) return;
        const m = this.first[i]!;
        const v = this.second[i]!;
        const w = this.variables[i]!;
        if (fused) {
          const next = fusedAdamUpdate(w, m, v, g, {
            beta1: this.beta1,
            beta2: this.beta2,
            epsilon: this.epsilon,
            learningRate: this.learningRate,
            correction1,
            correction2,
          });
          m.assign(next.m);
          v.assign(next.v);
          w.assign(next.variable);
          return;
        }
        const newM = add(mul(m, this.beta1), mul(g, 1 - this.beta1));
        const newV = add(mul(v, this.beta2), mul(square(g), 1 - this.beta2));
        m.assign(newM);
        v.assign(newV);
        const update = div(div(newM, correction1), add(sqrt(div(newV, correction2)), this.epsilon));
        w.assign(sub(w, mul(update, this.learningRate)));
      });
    });
    this.step = t;
  }

  /** The current state (tensors are the live variables: read them, do not dispose them). */
  state(): AdamState {
    return { step: this.step, firstMoments: [...this.first], secondMoments: [...this.second] };
  }

  /** Restores a saved state; shapes must match the variables'. */
  setState(state: {
    step: number;
    firstMoments: readonly Tensor[];
    secondMoments: readonly Tensor[];
  }): void {
    if (!Number.isInteger(state.step) || state.step < 0) {
      throw new RangeError(`Adam step must be a non-negative integer, got ${state.step}`);
    }
    for (const [name, saved, live] of [
      ['first', state.firstMoments, this.first],
      ['second', state.secondMoments, this.second],
    ] as const) {
      if (saved.length !== live.length) {
        throw new RangeError(
          `Adam ${name} moments: expected ${live.length} tensors, got ${saved.length}`,
        );
      }
      saved.forEach((tensor, i) => {
        const target = live[i]!;
        if (tensor.shape.join('x') !== target.shape.join('x')) {
          throw new RangeError(
            `Adam ${name} moment ${i}: shape ${tensor.shape} does not match ${target.shape}`,
          );
        }
        target.assign(tensor);
      });
    }
    this.step = state.step;
  }

  /** Frees the moment variables. */
  dispose(): void {
    dispose([...this.first, ...this.second]);
  }
}
