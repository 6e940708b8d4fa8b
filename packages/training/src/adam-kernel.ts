import { engine, getKernel, type NamedAttrMap, type Tensor } from '@tensorflow/tfjs-core';

/**
 * Name of the optional fused Adam update a backend may register (`@rpdl/cpu-kernels` does for
 * `cpu`). Contract:
 *
 * - inputs `variable`, `m`, `v`, `gradient`: float32 tensors of one shape; attrs
 *   {@link AdamUpdateAttrs};
 * - outputs `[variable′, m′, v′]` of that shape:
 *   `m′ = β₁·m + (1 − β₁)·g`, `v′ = β₂·v + (1 − β₂)·g²`,
 *   `variable′ = variable − lr · (m′/c₁) / (√(v′/c₂) + ε)`,
 *   where `c₁ = 1 − β₁ᵗ` and `c₂ = 1 − β₂ᵗ` are the bias corrections of step `t`.
 *
 * One pass per weight tensor instead of the dozen element-wise ops of the formula.
 */
export const ADAM_UPDATE_KERNEL = 'RpdlAdamUpdate';

/** Attributes of {@link ADAM_UPDATE_KERNEL}. */
export interface AdamUpdateAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
  /** `1 − β₁ᵗ` for the step being taken. */
  correction1: number;
  /** `1 − β₂ᵗ` for the step being taken. */
  correction2: number;
}

/**
 * Whether the active backend registers {@link ADAM_UPDATE_KERNEL}; {@link Adam} uses tfjs ops
 * otherwise.
 *
 * @example
 * if (fusedAdamAvailable()) { … }
 */
export function fusedAdamAvailable(): boolean {
  return getKernel(ADAM_UPDATE_KERNEL, engine().backendName) != null;
}

/**
 * Runs {@link ADAM_UPDATE_KERNEL} for one weight tensor; call only when
 * {@link fusedAdamAvailable}. Returns the new variable value and moments (new tensors).
 *
 * @example
 * const { variable, m, v } = fusedAdamUpdate(w, m, v, g, { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, learningRate: 1e-4, correction1: 0.1, correction2: 0.001 });
 */
export function fusedAdamUpdate(
  variable: Tensor,
  m: Tensor,
  v: Tensor,
  gradient: Tensor,
  attrs: AdamUpdateAttrs,
): { variable: Tensor; m: Tensor; v: Tensor } {
  for (const [name, t] of [
    ['m', m],
    ['v', v],
    ['gradient', gradient],
  ] as const) {
    if (t.shape.join('x') !== variable.shape.join('x')) {
      throw new RangeError(
        `fusedAdamUpdate: ${name} has shape [${t.shape.join(', ')}], expected the variable's [${variable.shape.join(', ')}]`,
      );
    }
  }
  const [nextVariable, nextM, nextV] = engine().runKernel(
    ADAM_UPDATE_KERNEL,
    { variable, m, v, gradient },
    attrs as unknown as NamedAttrMap,
  ) as [Tensor, Tensor, Tensor];
  return { variable: nextVariable, m: nextM, v: nextV };
}
