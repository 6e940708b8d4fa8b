import { type Random, seededRandom } from '@rpdl/random';
import { gaussian, uniform } from './distributions.js';

export interface SimulationOptions {
  /** Number of images. */
  images: number;
  /** Side of the square images, in pixels. */
  size: number;
  /** Annotators K; each marks every image. */
  annotators: number;
  seed: number;
}

/** Images with K binary annotations each, flattened row-major (the layout `@rpdl/rpmap` takes). */
export interface AnnotatedImages {
  size: number;
  /** One float image per entry, values roughly in [−0.5, 1.5]. */
  images: Float32Array[];
  /** `masks[i][k]` is annotator k's 0/1 annotation of image i. */
  masks: Uint8Array[][];
}

/**
 * Simulates a non-unique segmentation task: each image holds one blurred ellipse on a noisy
 * background, and the annotators disagree on where its soft edge ends. Annotator k has a
 * personal margin (from tight to generous) that holds on every image, plus a small per-image
 * wobble, so every annotation is plausible and none is _the_ answer — the situation the
 * reward-penalty map is built for: the core is marked by all K, the rim by a few, the
 * background by none.
 *
 * @example
 * const data = simulateAnnotatedImages({ images: 4, size: 32, annotators: 5, seed: 1 });
 * data.masks[0].length; // 5
 */
export function simulateAnnotatedImages(options: SimulationOptions): AnnotatedImages {
  const { images, size, annotators, seed } = options;
  for (const [name, value, min] of [
    ['images', images, 1],
    ['size', size, 8],
    ['annotators', annotators, 2],
  ] as const) {
    if (!Number.isInteger(value) || value < min) {
      throw new RangeError(
        `simulateAnnotatedImages: ${name} must be an integer ≥ ${min}, got ${value}`,
      );
    }
  }
  const random = seededRandom(seed);
  // Personal margins from tight to generous, ±size/16 pixels (±1.5 px at 24×24).
  const spread = size / 16;
  const margins = Array.from(
    { length: annotators },
    (_, k) => -spread + (2 * spread * k) / (annotators - 1),
  );
  const result: AnnotatedImages = { size, images: [], masks: [] };
  for (let i = 0; i < images; i++) {
    const ellipse = randomEllipse(random, size);
    result.images.push(renderImage(random, size, ellipse));
    result.masks.push(
      margins.map((margin) => annotate(size, ellipse, margin + 0.3 * spread * gaussian(random))),
    );
  }
  return result;
}

interface Ellipse {
  cx: number;
  cy: number;
  a: number;
  b: number;
  angle: number;
}

function randomEllipse(random: Random, size: number): Ellipse {
  return {
    cx: uniform(random, 0.35, 0.65) * size,
    cy: uniform(random, 0.35, 0.65) * size,
    a: uniform(random, 0.15, 0.25) * size,
    b: uniform(random, 0.1, 0.2) * size,
    angle: uniform(random, 0, Math.PI),
  };
}

/** Approximate signed distance (pixels) from the ellipse's edge; negative inside. */
function signedDistance(e: Ellipse, x: number, y: number): number {
  const dx = x - e.cx;
  const dy = y - e.cy;
  const u = dx * Math.cos(e.angle) + dy * Math.sin(e.angle);
  const v = -dx * Math.sin(e.angle) + dy * Math.cos(e.angle);
  const r = Math.hypot(u / e.a, v / e.b);
  return (r - 1) * Math.min(e.a, e.b);
}

function renderImage(random: Random, size: number, e: Ellipse): Float32Array {
  const image = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // A soft edge about 2 px wide: where it "ends" is a matter of judgement.
      const inside = 1 / (1 + Math.exp(signedDistance(e, x + 0.5, y + 0.5) / 1.2));
      image[y * size + x] = inside + 0.15 * gaussian(random);
    }
  }
  return image;
}

function annotate(size: number, e: Ellipse, margin: number): Uint8Array {
  const mask = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      mask[y * size + x] = signedDistance(e, x + 0.5, y + 0.5) <= margin ? 1 : 0;
    }
  }
  return mask;
}
