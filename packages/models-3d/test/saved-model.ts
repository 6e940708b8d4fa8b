import { io, type Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** What `model.save` writes, kept in memory (topology, weight specs and bytes). */
export async function saveToMemory(model: LayersModel): Promise<io.ModelArtifacts> {
  let saved: io.ModelArtifacts | undefined;
  await model.save(
    io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (saved === undefined) throw new Error('nothing was saved');
  return saved;
}

/** Every output of `model.predict(x)` as plain numbers, for exact comparisons. */
export function predictions(model: LayersModel, x: Tensor): number[][] {
  const y = model.predict(x);
  return (Array.isArray(y) ? y : [y]).map((t) => Array.from(t.dataSync()));
}
