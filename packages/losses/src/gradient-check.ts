import { engine, getGradient } from '@tensorflow/tfjs-core';

/**
 * An import that registers every tfjs op gradient and loads in plain Node ESM.
 * `@tensorflow/tfjs-core/dist/register_all_gradients` does not: Node's ESM loader cannot resolve
 * the extensionless imports inside it (ERR_MODULE_NOT_FOUND, with or without `.js`).
 */
export const GRADIENTS_IMPORT = "import '@tensorflow/tfjs-layers';";

/**
 * Fails early, with what to import, when tfjs is recording gradients (inside `tf.grad`,
 * `optimizer.minimize`, `model.fit`, …) and an op this loss differentiates through autodiff has
 * no gradient registered; tfjs itself would fail later, during the backward pass, with
 * "Cannot compute gradient: gradient function not found for Sub". Outside a gradient tape
 * (evaluation) nothing is needed and nothing is checked.
 *
 * @param kernels the tfjs kernel names of the ops the loss's forward pass runs.
 */
export function assertGradientsRegistered(fn: string, kernels: readonly string[]): void {
  if (!engine().isTapeOn()) return;
  const missing = kernels.filter((k) => getGradient(k) == null);
  if (missing.length === 0) return;
  throw new Error(
    `${fn}: tfjs has no gradient registered for ${missing.join(', ')}, so this loss cannot be ` +
      `differentiated by autodiff; @tensorflow/tfjs-core alone registers no op gradients. Add ` +
      `${GRADIENTS_IMPORT} once before training (it registers every op gradient; ` +
      `'@tensorflow/tfjs-core/dist/register_all_gradients' does not load in plain Node).`,
  );
}

/** Kernels of the Dice-type losses' autodiff forward pass (sums, products, the ratio). */
export const RATIO_KERNELS = ['Multiply', 'Sum', 'Add', 'Sub', 'RealDiv', 'Mean'] as const;
