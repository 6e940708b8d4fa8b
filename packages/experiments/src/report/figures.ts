import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@rpdl/atomic-fs';
import { loadNpy, MAX_LABEL } from '@rpdl/cm-dataset';
import { countAnnotations } from '@rpdl/rpmap';
import { LOSS_NAMES, MODEL_ORDER } from '../grid/grid.js';
import { readManifest } from '../grid/manifest.js';
import { loadDataset } from '../runs/dataset-source.js';
import { RUN_FILES, runDirectory } from '../runs/run-dir.js';
import {
  composePanel,
  heatTile,
  labelTile,
  middleSlice,
  overlayTile,
  type Tile,
} from './panels.js';
import { encodePng } from './png.js';

/**
 * Fig. 4-style panels for Experiment 1: for every model and held-out bone with at least one
 * finished run, the middle slice of the input, how many surgeons drilled each voxel (black → red
 * → yellow), and the prediction of each loss (WCEL, DL, RPDL, red over the input), as
 * `<out>/figures/exp1-<model>-bone<k>.png`. Returns the files written.
 *
 * @example
 * const files = await writeFigures('runs/quick');
 */
export async function writeFigures(out: string): Promise<string[]> {
  const manifest = await readManifest(out);
  const jobs: Array<{ model: (typeof MODEL_ORDER)[number]; bone: number; losses: string[] }> = [];
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
  const dataset = await loadDataset(manifest.source);
  const shape = dataset.spatialShape;
  const [, h, w] = shape;
  const scale = Math.max(1, Math.floor(128 / w));
  const written: string[] = [];
  for (const { model, bone, losses } of jobs) {
    const labels = middleSlice(dataset.inputs[bone]!, shape);
    const rows = [...Array(dataset.layout.surgeons).keys()].map(
      (s) => dataset.masks[bone * dataset.layout.surgeons + s]!,
    );
    const tiles: Tile[] = [
      labelTile('input', labels, w, h, MAX_LABEL),
      heatTile(
        'surgeons',
        middleSlice(countAnnotations(rows), shape),
        w,
        h,
        dataset.layout.surgeons,
      ),
    ];
    for (const loss of losses) {
      const dir = runDirectory(out, {
        experiment: 1,
        model,
        loss: loss as (typeof LOSS_NAMES)[number],
        fold: bone,
      });
      const prediction = await loadNpy(join(dir, RUN_FILES.predictions, `bone-${bone}.npy`));
      tiles.push(overlayTile(loss, labels, middleSlice(prediction.data, shape), w, h, MAX_LABEL));
    }
    const file = join(out, 'figures', `exp1-${model}-bone${bone + 1}.png`);
    await writeFileAtomic(file, encodePng(composePanel(tiles, scale)));
    written.push(file);
  }
  return written;
}
