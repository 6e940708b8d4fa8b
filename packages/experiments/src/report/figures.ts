import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@rpdl/atomic-fs';
import { loadNpy, MAX_LABEL } from '@rpdl/cm-dataset';
import { countAnnotations } from '@rpdl/rpmap';
import { LOSS_NAMES, type LossName, MODEL_ORDER } from '../grid/grid.js';
import { readManifest } from '../grid/manifest.js';
import { loadCmSource } from '../runs/dataset-source.js';
import { RUN_FILES, runDirectory } from '../runs/run-dir.js';
import { LOSS_LABELS, MODEL_LABELS } from './labels.js';
import { panelSvg } from './panel-svg.js';
import { heatTile, labelTile, middleSlice, overlayTile, type Tile } from './panels.js';
import { svgToPng } from './rasterise.js';

/** One Fig. 4-style panel as SVG. */
export interface FigureSvg {
  /** File name without extension, e.g. `exp1-unet3d-bone1`. */
  name: string;
  title: string;
  svg: string;
}

/** One Fig. 4-style panel as SVG and PNG. */
export interface Figure extends FigureSvg {
  png: Uint8Array;
}

/**
 * Fig. 4-style panels for Experiment 1: for every model and held-out bone with at least one
 * finished run, the middle slice of the input, how many surgeons drilled each voxel (black → red
 * → yellow, with its colour scale) and the prediction of each loss (WCEL, DL, RPDL, red over the
 * input), every panel titled. Rendered in memory as SVG (text as text), in a fixed order.
 *
 * @example
 * const figures = await renderFigureSvgs('runs/quick');
 */
export async function renderFigureSvgs(out: string): Promise<FigureSvg[]> {
  const manifest = await readManifest(out);
  // The panels draw CM labels; a folder of cases has images of any scale and no such panel.
  if (manifest.source.kind === 'cases') return [];
  const jobs: Array<{ model: (typeof MODEL_ORDER)[number]; bone: number; losses: LossName[] }> = [];
  for (const model of MODEL_ORDER) {
    for (let bone = 0; bone < manifest.layout.bones; bone++) {
      const losses = LOSS_NAMES.filter((loss) =>
        existsSync(
          join(runDirectory(out, { experiment: 1, model, loss, fold: bone }), RUN_FILES.metrics),
        ),
      );
      if (losses.length > 0) jobs.push({ model, bone, losses });
    }
  }
  if (jobs.length === 0) return [];
  const dataset = await loadCmSource(manifest.source);
  const shape = dataset.spatialShape;
  const [depth, h, w] = shape;
  const scale = Math.max(1, Math.floor(128 / w));
  const surgeons = dataset.layout.surgeons;
  const figures: FigureSvg[] = [];
  for (const { model, bone, losses } of jobs) {
    const labels = middleSlice(dataset.inputs[bone]!, shape);
    const rows = [...Array(surgeons).keys()].map((s) => dataset.masks[bone * surgeons + s]!);
    const tiles: Tile[] = [
      labelTile('Input\n(anatomical labels)', labels, w, h, MAX_LABEL),
      heatTile(
        `Annotator agreement\n(${surgeons} surgeons)`,
        middleSlice(countAnnotations(rows), shape),
        w,
        h,
        surgeons,
      ),
    ];
    for (const loss of losses) {
      const dir = runDirectory(out, { experiment: 1, model, loss, fold: bone });
      const prediction = await loadNpy(join(dir, RUN_FILES.predictions, `bone-${bone}.npy`));
      tiles.push(
        overlayTile(
          `${LOSS_LABELS[loss]}\nprediction`,
          labels,
          middleSlice(prediction.data, shape),
          w,
          h,
          MAX_LABEL,
        ),
      );
    }
    const title = `Experiment 1 — ${MODEL_LABELS[model]}, held-out bone ${bone + 1}, middle slice (z = ${Math.floor(depth / 2)} of ${depth})`;
    figures.push({
      name: `exp1-${model}-bone${bone + 1}`,
      title,
      svg: panelSvg({ title, tiles, scale }),
    });
  }
  return figures;
}

/**
 * The panels of {@link renderFigureSvgs}, each also rasterised to PNG.
 *
 * @example
 * const figures = await renderFigures('runs/quick');
 */
export async function renderFigures(out: string): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const figure of await renderFigureSvgs(out))
    figures.push({ ...figure, png: await svgToPng(figure.svg) });
  return figures;
}

/**
 * Writes the panels of {@link renderFigures} as `<out>/figures/exp1-<model>-bone<k>.png` and
 * `.svg` (atomically). Returns the PNG files written.
 *
 * @example
 * const files = await writeFigures('runs/quick');
 */
export async function writeFigures(out: string): Promise<string[]> {
  const written: string[] = [];
  for (const figure of await renderFigures(out)) {
    const file = join(out, 'figures', `${figure.name}.png`);
    await writeFileAtomic(join(out, 'figures', `${figure.name}.svg`), figure.svg);
    await writeFileAtomic(file, figure.png);
    written.push(file);
  }
  return written;
}
