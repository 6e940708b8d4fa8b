import { mixSeed, seededRandom } from '@rpdl/random';
import type { CmDataset } from './dataset.js';

/** Edge lengths the phantom is generated at. */
export type PhantomSize = 16 | 32 | 64;

export interface PhantomOptions {
  /** Edge length of the cubic volumes (default 64, the published size). */
  size?: PhantomSize;
  /** Number of temporal bones (default 9). */
  bones?: number;
  /** Number of surgeons, each drilling every bone (default 7). */
  surgeons?: number;
  /** Seed; the same options always give the same dataset (default 0). */
  seed?: number;
}

/** Names of the phantom's labels 0..13, indexed by label. */
export const PHANTOM_LABELS = Object.freeze([
  'air',
  'bone',
  'facial nerve',
  'sigmoid sinus',
  'dura',
  'incus',
  'malleus',
  'stapes',
  'lateral semicircular canal',
  'cochlea',
  'chorda tympani',
  'internal carotid artery',
  'jugular bulb',
  'mastoid air cells',
] as const);

/** A surgeon's habits, held across bones. Distances are in units of half the volume's edge. */
interface SurgeonStyle {
  /** Scales the bowl's width and height. */
  extent: number;
  /** Scales the bowl's depth. */
  depth: number;
  /** Bone left between the cavity and any structure to avoid. */
  margin: number;
  /** Bowl wall exponent: 2 is a paraboloid, larger values give steeper walls and a flatter floor. */
  wall: number;
  /** Entry point offset along the anterior (v) and superior (w) directions. */
  shiftV: number;
  shiftW: number;
}

/** A bone's anatomy and pose, drawn once per bone. */
interface BoneModel {
  rotation: Float64Array; // 3×3, canonical = Rᵀ (x − t)
  translation: [number, number, number];
  radii: [number, number, number];
  lateral: number;
  noise: Float64Array; // 4 × (kx, ky, kz, phase, amplitude)
  cells: Float64Array; // 3 × (kx, ky, kz, phase)
  dura: number;
  sinusV: number;
  sinusU: number;
  facialV: number;
  eacV: number;
  eacW: number;
  antrumV: number;
  antrumW: number;
}

const R_SINUS = 0.11;
const R_FACIAL = 0.045;
const R_EAC = 0.15;
const DURA_THICKNESS = 0.07;
const MIN_MARGIN = 0.035;

function uniform(random: () => number, lo: number, hi: number): number {
  return lo + (hi - lo) * random();
}

function drawBone(random: () => number): BoneModel {
  const scale = uniform(random, 0.88, 1.02);
  const deg = Math.PI / 180;
  const [a, b, c] = [
    uniform(random, -12, 12) * deg,
    uniform(random, -12, 12) * deg,
    uniform(random, -12, 12) * deg,
  ];
  // R = Rz(a)·Ry(b)·Rx(c), row-major.
  const [ca, sa, cb, sb, cc, sc] = [
    Math.cos(a),
    Math.sin(a),
    Math.cos(b),
    Math.sin(b),
    Math.cos(c),
    Math.sin(c),
  ];
  const rotation = Float64Array.of(
    ca * cb,
    ca * sb * sc - sa * cc,
    ca * sb * cc + sa * sc,
    sa * cb,
    sa * sb * sc + ca * cc,
    sa * sb * cc - ca * sc,
    -sb,
    cb * sc,
    cb * cc,
  );
  const noise = new Float64Array(20);
  for (let k = 0; k < 4; k++) {
    noise[5 * k] = uniform(random, -4, 4);
    noise[5 * k + 1] = uniform(random, -4, 4);
    noise[5 * k + 2] = uniform(random, -4, 4);
    noise[5 * k + 3] = uniform(random, 0, 2 * Math.PI);
    noise[5 * k + 4] = uniform(random, 0.02, 0.05);
  }
  const cells = new Float64Array(12);
  for (let k = 0; k < 3; k++) {
    cells[4 * k] = uniform(random, -14, 14);
    cells[4 * k + 1] = uniform(random, -14, 14);
    cells[4 * k + 2] = uniform(random, -14, 14);
    cells[4 * k + 3] = uniform(random, 0, 2 * Math.PI);
  }
  const facialV = uniform(random, 0.12, 0.22);
  return {
    rotation,
    translation: [
      uniform(random, -0.06, 0.06),
      uniform(random, -0.06, 0.06),
      uniform(random, -0.06, 0.06),
    ],
    radii: [
      scale * uniform(random, 1.05, 1.2),
      scale * uniform(random, 0.98, 1.1),
      scale * uniform(random, 0.9, 1.02),
    ],
    lateral: scale * uniform(random, 0.56, 0.66),
    noise,
    cells,
    dura: uniform(random, 0.46, 0.58),
    sinusV: uniform(random, -0.62, -0.5),
    sinusU: uniform(random, -0.08, 0.04),
    facialV,
    eacV: facialV + uniform(random, 0.3, 0.38),
    eacW: uniform(random, 0.0, 0.1),
    antrumV: facialV - uniform(random, 0.02, 0.08),
    antrumW: uniform(random, 0.22, 0.3),
  };
}

function drawSurgeon(random: () => number): SurgeonStyle {
  return {
    extent: uniform(random, 0.73, 1.27),
    depth: uniform(random, 0.68, 1.32),
    margin: uniform(random, 0.035, 0.11),
    wall: uniform(random, 1.6, 4),
    shiftV: uniform(random, -0.12, 0.12),
    shiftW: uniform(random, -0.1, 0.1),
  };
}

function segmentDistance(
  u: number,
  v: number,
  w: number,
  au: number,
  av: number,
  aw: number,
  bu: number,
  bv: number,
  bw: number,
): number {
  const du = bu - au;
  const dv = bv - av;
  const dw = bw - aw;
  let t = ((u - au) * du + (v - av) * dv + (w - aw) * dw) / (du * du + dv * dv + dw * dw);
  t = Math.min(Math.max(t, 0), 1);
  const eu = u - au - t * du;
  const ev = v - av - t * dv;
  const ew = w - aw - t * dw;
  return Math.sqrt(eu * eu + ev * ev + ew * ew);
}

function ellipsoidDistance(
  u: number,
  v: number,
  w: number,
  cu: number,
  cv: number,
  cw: number,
  ru: number,
  rv: number,
  rw: number,
): number {
  const x = (u - cu) / ru;
  const y = (v - cv) / rv;
  const z = (w - cw) / rw;
  // Scaled radial distance times the smallest radius: exact on spheres, a fair bound otherwise.
  return (Math.sqrt(x * x + y * y + z * z) - 1) * Math.min(ru, rv, rw);
}

/**
 * Labels one voxel at canonical coordinates (u lateral, v anterior, w superior) and returns the
 * label; `out[0]` receives the distance to the nearest structure a surgeon must avoid.
 */
function labelVoxel(m: BoneModel, u: number, v: number, w: number, out: Float64Array): number {
  out[0] = Number.POSITIVE_INFINITY;
  const [ru, rv, rw] = m.radii;
  const n = m.noise;
  let bump = 0;
  for (let k = 0; k < 20; k += 5) {
    bump += n[k + 4]! * Math.sin(n[k]! * u + n[k + 1]! * v + n[k + 2]! * w + n[k + 3]!);
  }
  const e = (u / ru) * (u / ru) + (v / rv) * (v / rv) + (w / rw) * (w / rw);
  if (e > 1 + bump || u > m.lateral + 0.5 * bump) return 0;
  const duraTop = m.dura + 0.08 * v;
  if (w > duraTop + DURA_THICKNESS) return 0;

  const fv = m.facialV;
  // Distances to the structures (negative inside), nearest first in the order surgeons meet them.
  const dDura = duraTop - w;
  const sinusCenterV = m.sinusV + 0.15 * w * w;
  const sinusCenterU = m.sinusU - 0.08 * w;
  const dSinus =
    Math.sqrt((v - sinusCenterV) * (v - sinusCenterV) + (u - sinusCenterU) * (u - sinusCenterU)) -
    R_SINUS;
  const dFacialMastoid =
    segmentDistance(u, v, w, -0.05, fv, 0.15, 0.08, fv - 0.04, -0.8) - R_FACIAL;
  const dFacialTympanic =
    segmentDistance(u, v, w, -0.05, fv, 0.15, -0.38, fv + 0.25, 0.2) - R_FACIAL * 0.9;
  const dChorda = segmentDistance(u, v, w, 0.04, fv - 0.03, -0.45, -0.16, fv + 0.3, 0.12) - 0.025;
  const dIncus = ellipsoidDistance(u, v, w, -0.22, fv + 0.12, 0.28, 0.06, 0.1, 0.07);
  const dMalleus = ellipsoidDistance(u, v, w, -0.3, fv + 0.28, 0.27, 0.05, 0.05, 0.1);
  const dStapes = ellipsoidDistance(u, v, w, -0.42, fv + 0.18, 0.17, 0.04, 0.04, 0.04);
  // Lateral canal: a torus in the (u, v) plane.
  const tu = u + 0.3;
  const tv = v - (fv - 0.06);
  const tw = w - 0.3;
  const ring = Math.sqrt(tu * tu + tv * tv) - 0.12;
  const dCanal = Math.sqrt(ring * ring + tw * tw) - 0.03;
  const dCochlea = ellipsoidDistance(u, v, w, -0.62, fv + 0.32, 0.05, 0.12, 0.12, 0.1);
  const dCarotid = segmentDistance(u, v, w, -0.66, 0.66, -0.95, -0.62, 0.62, 0.1) - 0.1;
  const dJugular = ellipsoidDistance(u, v, w, -0.45, m.sinusV + 0.35, -0.72, 0.16, 0.14, 0.14);
  const dEac = segmentDistance(u, v, w, -0.28, m.eacV, m.eacW, 2, m.eacV, m.eacW) - R_EAC;

  let label = 1;
  if (dEac < 0) label = 0;
  else if (dDura < 0) label = 4;
  else if (dSinus < 0) label = 3;
  else if (dFacialMastoid < 0 || dFacialTympanic < 0) label = 2;
  else if (dChorda < 0) label = 10;
  else if (dIncus < 0) label = 5;
  else if (dMalleus < 0) label = 6;
  else if (dStapes < 0) label = 7;
  else if (dCanal < 0) label = 8;
  else if (dCochlea < 0) label = 9;
  else if (dCarotid < 0) label = 11;
  else if (dJugular < 0) label = 12;
  else if (v < 0.15 && w < 0.4 && u > -0.35) {
    // Pneumatised mastoid: air cells where a high-frequency field peaks.
    const c = m.cells;
    let f = 0;
    for (let k = 0; k < 12; k += 4)
      f += Math.sin(c[k]! * u + c[k + 1]! * v + c[k + 2]! * w + c[k + 3]!);
    if (f > 1.1) label = 13;
  }
  out[0] = Math.min(
    dEac,
    dDura,
    dSinus,
    dFacialMastoid,
    dFacialTympanic,
    dChorda,
    dIncus,
    dMalleus,
    dStapes,
    dCanal,
    dCochlea,
    dCarotid,
    dJugular,
  );
  return label;
}

/** Voxels a surgeon could drill in one bone, in canonical coordinates. */
interface Candidates {
  index: Int32Array;
  depth: Float32Array;
  v: Float32Array;
  w: Float32Array;
  clearance: Float32Array;
  length: number;
}

function buildBone(model: BoneModel, size: number): { labels: Int8Array; candidates: Candidates } {
  const voxels = size * size * size;
  const labels = new Int8Array(voxels);
  const index = new Int32Array(voxels);
  const depth = new Float32Array(voxels);
  const cv = new Float32Array(voxels);
  const cw = new Float32Array(voxels);
  const clearance = new Float32Array(voxels);
  const R = model.rotation;
  const [t0, t1, t2] = model.translation;
  const dist = new Float64Array(1);
  let count = 0;
  let i = 0;
  for (let a0 = 0; a0 < size; a0++) {
    // Axis 0 runs superior → inferior, axis 1 posterior → anterior, axis 2 medial → lateral.
    const x0 = -((2 * (a0 + 0.5)) / size - 1) - t0;
    for (let a1 = 0; a1 < size; a1++) {
      const x1 = (2 * (a1 + 0.5)) / size - 1 - t1;
      for (let a2 = 0; a2 < size; a2++, i++) {
        const x2 = (2 * (a2 + 0.5)) / size - 1 - t2;
        // canonical = Rᵀ x, with x = (u, v, w) = (x2, x1, x0).
        const u = R[0]! * x2 + R[3]! * x1 + R[6]! * x0;
        const v = R[1]! * x2 + R[4]! * x1 + R[7]! * x0;
        const w = R[2]! * x2 + R[5]! * x1 + R[8]! * x0;
        const label = labelVoxel(model, u, v, w, dist);
        labels[i] = label;
        if ((label === 1 || label === 13) && dist[0]! > 0) {
          index[count] = i;
          depth[count] = model.lateral - u;
          cv[count] = v;
          cw[count] = w;
          clearance[count] = dist[0]!;
          count++;
        }
      }
    }
  }
  return {
    labels,
    candidates: {
      index: index.slice(0, count),
      depth: depth.slice(0, count),
      v: cv.slice(0, count),
      w: cw.slice(0, count),
      clearance: clearance.slice(0, count),
      length: count,
    },
  };
}

/**
 * Drills one bone: a bowl entered on the lateral cortex posterior-superior to the ear canal,
 * deepening towards the antrum, kept `margin` away from every structure.
 */
function drill(
  model: BoneModel,
  candidates: Candidates,
  style: SurgeonStyle,
  random: () => number,
  voxels: number,
): Uint8Array {
  const mask = new Uint8Array(voxels);
  const extent = style.extent * uniform(random, 0.87, 1.13);
  const rv = 0.62 * extent;
  const rw = 0.55 * extent;
  const maxDepth = 0.7 * style.depth * uniform(random, 0.88, 1.12);
  // Never below MIN_MARGIN: at 64³ that is more than one voxel, so no drilled voxel touches a
  // structure.
  const margin = Math.max(MIN_MARGIN, style.margin + uniform(random, -0.012, 0.012));
  const wall = style.wall;
  const v0 = model.eacV - 0.42 + style.shiftV + uniform(random, -0.08, 0.08);
  const w0 = model.eacW + 0.1 + style.shiftW + uniform(random, -0.08, 0.08);
  // The floor leans towards the antrum.
  const leanV = (model.antrumV - v0) / 0.7;
  const leanW = (model.antrumW - w0) / 0.7;
  const wobbleV = uniform(random, -0.12, 0.12);
  const wobbleW = uniform(random, -0.12, 0.12);
  const wobbleVW = uniform(random, -0.15, 0.15);
  const half = wall / 2;
  const { index, depth, v, w, clearance, length } = candidates;
  for (let k = 0; k < length; k++) {
    const d = depth[k]!;
    if (d > maxDepth * 1.3 || clearance[k]! < margin) continue;
    const dn = Math.max(d, 0);
    const y = (v[k]! - v0 - leanV * dn) / rv;
    const z = (w[k]! - w0 - leanW * dn) / rw;
    const r2 = y * y + z * z;
    if (r2 >= 1) continue;
    const floor = maxDepth * (1 - r2 ** half) * (1 + wobbleV * y + wobbleW * z + wobbleVW * y * z);
    if (d <= floor) mask[index[k]!] = 1;
  }
  return mask;
}

/**
 * A synthetic cortical-mastoidectomy dataset in the CM layout: B temporal bones (labels 0..13,
 * see {@link PHANTOM_LABELS}) that differ in size, shape, pose and anatomy, each drilled by S
 * surgeons. A surgeon's style (extent, depth, wall shape, margin to structures, entry point)
 * holds across bones, with per-bone variation on top. Drilled voxels are bone or air cells and
 * keep the surgeon's margin from every structure. Deterministic for a seed.
 *
 * @throws RangeError for a size other than 16, 32 or 64, or non-positive bone/surgeon counts.
 *
 * @example
 * const data = generatePhantom({ size: 32, bones: 9, surgeons: 7, seed: 1 });
 * data.masks.length; // 63
 */
export function generatePhantom(options: PhantomOptions = {}): CmDataset {
  const size = options.size ?? 64;
  const bones = options.bones ?? 9;
  const surgeons = options.surgeons ?? 7;
  const seed = options.seed ?? 0;
  if (size !== 16 && size !== 32 && size !== 64) {
    throw new RangeError(`generatePhantom: size must be 16, 32 or 64, got ${String(size)}`);
  }
  for (const [name, value] of [
    ['bones', bones],
    ['surgeons', surgeons],
  ] as const) {
    if (!Number.isInteger(value) || value < 1 || value > 1000) {
      throw new RangeError(`generatePhantom: ${name} must be an integer in 1..1000, got ${value}`);
    }
  }
  if (!Number.isFinite(seed)) {
    throw new RangeError(`generatePhantom: seed must be a finite number, got ${seed}`);
  }
  const styleRandom = seededRandom(mixSeed(seed, 1));
  const styles = Array.from({ length: surgeons }, () => drawSurgeon(styleRandom));
  const voxels = size * size * size;
  const inputs: Int8Array[] = [];
  const masks: Uint8Array[] = [];
  for (let b = 0; b < bones; b++) {
    const model = drawBone(seededRandom(mixSeed(seed, 1000 + b)));
    const { labels, candidates } = buildBone(model, size);
    inputs.push(labels);
    for (let s = 0; s < surgeons; s++) {
      const random = seededRandom(mixSeed(seed, 100_000 + b * 1000 + s));
      masks.push(drill(model, candidates, styles[s]!, random, voxels));
    }
  }
  return { layout: { bones, surgeons }, spatialShape: [size, size, size], inputs, masks };
}
