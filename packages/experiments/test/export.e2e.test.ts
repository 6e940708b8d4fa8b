import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import '@rpdl/models-3d/register';
import { generatePhantom, normalizeInput, saveNpy } from '@rpdl/cm-dataset';
import '@tensorflow/tfjs-backend-cpu';
import { setBackend, type Tensor, tensor } from '@tensorflow/tfjs-core';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDir } from '../../../tooling/testing/temp-dir.js';
import { loadRunModel, loadTrainedModel } from '../src/cli/commands/trained-model.js';
import { predictVolume } from '../src/runs/run-training.js';
import { fileSystemModelIO } from '../src/runs/saved-model.js';
import { runCli } from './cli-process.js';
import { E2E_TIMEOUT_MS, STOCK, smokeArgs } from './e2e.js';

beforeAll(async () => {
  await setBackend('cpu');
});
const root = useTempDir('rpdl-export-');

describe('rpdl export', () => {
  it(
    'writes a LayersModel that tf.loadLayersModel loads and that predicts what the run predicts; predict takes either form',
    async () => {
      const out = join(root(), 'runs');
      const trained = await runCli(smokeArgs({ losses: 'rpdl', out }), STOCK);
      expect(trained.code, trained.stderr).toBe(0);
      const run = join(out, 'runs', 'exp1', 'unet3d', 'rpdl', 'fold-0');
      const exported = join(root(), 'model');
      const result = await runCli(['export', run, '--out', exported], STOCK);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain("import '@rpdl/models-3d/register'");
      const modelJson = JSON.parse(await readFile(join(exported, 'model.json'), 'utf8'));
      expect(modelJson.format).toBe('layers-model');
      expect(modelJson.weightsManifest[0].paths).toEqual(['./weights.bin']);
      expect(modelJson.userDefinedMetadata).toEqual({
        rpdl: { run: 'exp1/unet3d/rpdl/fold-0', input: 'cm-labels' },
      });
      expect(existsSync(join(exported, 'weights.bin'))).toBe(true);

      const loaded = await loadLayersModel(fileSystemModelIO(exported));
      const own = await loadRunModel(run);
      try {
        const phantom = generatePhantom({ size: 16, seed: 99, bones: 2, surgeons: 2 });
        const x = tensor(normalizeInput(phantom.inputs[1]!), [1, 16, 16, 16, 1]);
        const a = predictVolume({ segment: (input) => loaded.predict(input) as Tensor }, x);
        const b = predictVolume(own.network, x);
        x.dispose();
        expect(a.length).toBe(16 ** 3);
        expect(a).toEqual(b);
        expect(Math.max(...a) - Math.min(...a)).toBeGreaterThan(0);
      } finally {
        loaded.dispose();
        own.network.model.dispose();
      }

      const bone = join(root(), 'bone.npy');
      const phantom = generatePhantom({ size: 16, seed: 98, bones: 2, surgeons: 2 });
      await saveNpy(bone, {
        dtype: 'int8',
        shape: [16, 16, 16],
        data: phantom.inputs[0]!,
        fortranOrder: false,
      });
      const fromRun = join(root(), 'from-run.npy');
      const fromExport = join(root(), 'from-export.npy');
      for (const [model, output] of [
        [run, fromRun],
        [exported, fromExport],
      ] as const) {
        const predicted = await runCli(
          ['predict', '--model', model, '--input', bone, '--output', output, '--backend', 'cpu'],
          STOCK,
        );
        expect(predicted.code, predicted.stderr).toBe(0);
      }
      expect((await readFile(fromExport)).equals(await readFile(fromRun))).toBe(true);

      // Exports without the metadata (older ones, other tools) take label volumes; bad metadata is refused.
      const rewritten = async (metadata: unknown) => {
        const { userDefinedMetadata: _, ...rest } = modelJson;
        const json = metadata === undefined ? rest : { ...rest, userDefinedMetadata: metadata };
        await writeFile(join(exported, 'model.json'), JSON.stringify(json));
      };
      await rewritten(undefined);
      const legacy = await loadTrainedModel(exported);
      legacy.network.model.dispose();
      expect([legacy.id, legacy.input]).toEqual(['model', 'cm-labels']);
      await rewritten({ rpdl: { run: 'x', input: 'z-score' } });
      await expect(loadTrainedModel(exported)).rejects.toThrow(
        `--model ${exported}: model.json's userDefinedMetadata.rpdl is {"run":"x","input":"z-score"}; expected { "run": "<run id>", "input": "cm-labels" | "standardized" } as rpdl export writes it`,
      );

      const neither = await runCli(['predict', '--model', root(), '--input', bone], STOCK);
      expect(neither.code).toBe(2);
      expect(neither.stderr.split('\n')[0]).toBe(
        `rpdl predict: --model ${root()} is neither a run directory (no readable config.json) nor a model written by rpdl export (no model.json)`,
      );
    },
    E2E_TIMEOUT_MS,
  );
});
