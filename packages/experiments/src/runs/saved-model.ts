import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, normalize, relative, resolve, sep } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '@rpdl/atomic-fs';
import { io } from '@tensorflow/tfjs-core';
import { type LayersModel, loadLayersModel } from '@tensorflow/tfjs-layers';
// Registers rpdl's 3D layer classes, which loading a saved model looks up by name.
import '@rpdl/models-3d/register';

/** The file names `rpdl export` writes (the layout of tfjs's own `file://` and HTTP handlers). */
export const SAVED_MODEL_FILES = Object.freeze({ model: 'model.json', weights: 'weights.bin' });

/**
 * A tfjs IOHandler that saves a LayersModel as `model.json` plus one `weights.bin` in a directory
 * and loads it back, on Node's `fs` alone (tfjs-node's `file://` handler is not installed here).
 * The files are the standard tfjs layers format, so `tf.loadLayersModel` over HTTP in a browser
 * reads them too. Loading a model with rpdl's 3D layers needs `import '@rpdl/models-3d/register'`
 * (or any import of `@rpdl/models-3d`) first, or tfjs reports `Unknown layer`.
 *
 * @example
 * await model.save(fileSystemModelIO('exported/unet'));
 * const again = await tf.loadLayersModel(fileSystemModelIO('exported/unet'));
 */
export function fileSystemModelIO(directory: string): io.IOHandler {
  const modelPath = join(directory, SAVED_MODEL_FILES.model);
  return {
    async save(artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new TypeError('fileSystemModelIO saves LayersModels (JSON topology) only');
      }
      const weights = new Uint8Array(
        artifacts.weightData === undefined
          ? new ArrayBuffer(0)
          : io.CompositeArrayBuffer.join(artifacts.weightData),
      );
      const modelJson: io.ModelJSON = {
        modelTopology: artifacts.modelTopology as NonNullable<io.ModelJSON['modelTopology']>,
        weightsManifest: [
          { paths: [`./${SAVED_MODEL_FILES.weights}`], weights: artifacts.weightSpecs ?? [] },
        ],
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? 'TensorFlow.js',
        convertedBy: artifacts.convertedBy ?? null,
      };
      if (artifacts.trainingConfig) modelJson.trainingConfig = artifacts.trainingConfig;
      if (artifacts.userDefinedMetadata) {
        modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
      }
      // Weights first: a reader that finds model.json also finds the weights it points to.
      await writeFileAtomic(join(directory, SAVED_MODEL_FILES.weights), weights);
      await writeJsonAtomic(modelPath, modelJson);
      return { modelArtifactsInfo: io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<io.ModelArtifacts> {
      let modelJson: io.ModelJSON;
      try {
        modelJson = JSON.parse(await readFile(modelPath, 'utf8')) as io.ModelJSON;
      } catch (error) {
        throw new Error(
          `${modelPath} is not a readable tfjs model.json: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      if (modelJson.modelTopology == null || !Array.isArray(modelJson.weightsManifest)) {
        throw new Error(`${modelPath} lacks modelTopology or weightsManifest; not a tfjs LayersModel`);
      }
      return io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs: io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        const root = resolve(directory);
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const path of group.paths) {
            const file = resolve(root, normalize(path));
            // A manifest is data: it must not point outside its own directory.
            if (relative(root, file).startsWith(`..${sep}`) || dirname(file) !== root) {
              throw new Error(`${modelPath} names a weight file outside its directory: ${path}`);
            }
            const bytes = await readFile(file);
            buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
          }
        }
        return [specs, buffers];
      });
    },
  };
}

/**
 * Whether a directory holds a model written by `rpdl export` (a `model.json`).
 *
 * @example
 * if (isSavedModelDirectory('exported/unet')) model = await loadSavedModel('exported/unet');
 */
export function isSavedModelDirectory(directory: string): boolean {
  return existsSync(join(directory, SAVED_MODEL_FILES.model));
}

/**
 * Loads a model written by `rpdl export` (or any tfjs LayersModel directory). rpdl's layers must be
 * registered first: this module's package registers them when it is imported.
 *
 * @example
 * const model = await loadSavedModel('exported/unet');
 */
export async function loadSavedModel(directory: string): Promise<LayersModel> {
  return loadLayersModel(fileSystemModelIO(directory));
}
