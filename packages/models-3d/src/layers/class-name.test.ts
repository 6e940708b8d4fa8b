import '@tensorflow/tfjs-backend-cpu';
import '../register.js';
import { readFileSync } from 'node:fs';
import { io, serialization, setBackend } from '@tensorflow/tfjs-core';
import { input, layers, loadLayersModel, model } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomTensor } from '../../test/numeric.js';
import { predictions, saveToMemory } from '../../test/saved-model.js';
import { BatchNormalization3D, batchNormalization3d } from './batch-normalization-3d.js';
import {
  CLASS_NAMESPACE,
  namespacedClassName,
  registerLayerClass,
  withDefaultName,
} from './class-name.js';
import { GroupNormalization } from './group-normalization.js';
import { SpatialDropout3D } from './spatial-dropout-3d.js';
import { UpSampling3D, upSampling3d } from './up-sampling-3d.js';
import { VaeSampling } from './vae-sampling.js';

const CLASSES = [
  BatchNormalization3D,
  GroupNormalization,
  SpatialDropout3D,
  UpSampling3D,
  VaeSampling,
];
const LEGACY_NAMES = [
  'BatchNormalization3D',
  'GroupNormalization',
  'SpatialDropout3D',
  'UpSampling3D',
  'VaeSampling',
];
const fixture = new URL('../../test/fixtures/legacy-class-names/', import.meta.url);

beforeAll(async () => {
  await setBackend('cpu');
});

const save = saveToMemory;

/** Every `class_name` in a saved topology, depth first. */
function classNames(topology: unknown): string[] {
  if (Array.isArray(topology)) return topology.flatMap(classNames);
  if (topology === null || typeof topology !== 'object') return [];
  const own = (topology as { class_name?: unknown }).class_name;
  return [
    ...(typeof own === 'string' ? [own] : []),
    ...Object.values(topology).flatMap(classNames),
  ];
}

const outputs = predictions;

/** The fixture model.json + weights.bin, saved by the package when its classes had bare names. */
function legacyArtifacts(): io.ModelArtifacts {
  const json = JSON.parse(readFileSync(new URL('model.json', fixture), 'utf8')) as {
    modelTopology: object;
    weightsManifest: { weights: io.WeightsManifestEntry[] }[];
  };
  const bytes = readFileSync(new URL('weights.bin', fixture));
  return {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
    weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  };
}

describe('namespaced class names', () => {
  it('every custom layer class is named rpdl>Name', () => {
    expect(CLASS_NAMESPACE).toBe('rpdl');
    expect(CLASSES.map((cls) => cls.className)).toEqual(LEGACY_NAMES.map((n) => `rpdl>${n}`));
    expect(namespacedClassName('UpSampling3D')).toBe('rpdl>UpSampling3D');
  });

  it('default layer names keep the bare-name format and stay valid weight names', () => {
    const first = withDefaultName({}, 'FancyLayer3D').name;
    const second = withDefaultName({}, 'FancyLayer3D').name;
    expect(first).toBe('fancy_layer3d_FancyLayer3D1');
    expect(second).toBe('fancy_layer3d_FancyLayer3D2');
    expect(withDefaultName({ name: 'mine' }, 'FancyLayer3D').name).toBe('mine');
    const layer = batchNormalization3d();
    expect(layer.name).toMatch(/^batch_normalization3d_BatchNormalization3D\d+$/);
    layer.apply(input({ shape: [2, 2, 2, 3] }));
    expect(layer.getWeights()).toHaveLength(4);
  });

  it('a save → load round trip writes and reads the namespaced names', async () => {
    const volume = input({ shape: [2, 2, 2, 4] });
    const up = upSampling3d({ size: 2 }).apply(batchNormalization3d().apply(volume));
    const original = model({ inputs: volume, outputs: up as never });
    original.setWeights(
      original.getWeights().map((w, i) => randomTensor(w.shape, 3 + i, 0.5, 1.5)),
    );
    const artifacts = await save(original);
    const names = classNames(artifacts.modelTopology);
    expect(names).toContain('rpdl>BatchNormalization3D');
    expect(names).toContain('rpdl>UpSampling3D');
    expect(names.filter((n) => LEGACY_NAMES.includes(n))).toEqual([]);
    const loaded = await loadLayersModel(io.fromMemory(artifacts));
    const x = randomTensor([2, 2, 2, 2, 4], 11);
    expect(outputs(loaded, x)).toEqual(outputs(original, x));
  });

  it('a model.json saved under the bare names still loads, predicts as saved, and re-saves namespaced', async () => {
    const artifacts = legacyArtifacts();
    expect(classNames(artifacts.modelTopology)).toEqual(expect.arrayContaining(LEGACY_NAMES));
    const loaded = await loadLayersModel(io.fromMemory(artifacts));
    const custom = loaded.layers.filter((l) => CLASSES.some((cls) => l instanceof cls));
    expect(custom.map((l) => l.getClassName()).sort()).toEqual(
      LEGACY_NAMES.map((n) => `rpdl>${n}`).sort(),
    );
    const expected = JSON.parse(readFileSync(new URL('expected.json', fixture), 'utf8')) as {
      input: { shape: number[]; seed: number };
      outputs: number[][];
    };
    const x = randomTensor(expected.input.shape, expected.input.seed);
    expect(outputs(loaded, x)).toEqual(expected.outputs);
    const resaved = classNames((await save(loaded)).modelTopology);
    expect(resaved.filter((n) => LEGACY_NAMES.includes(n))).toEqual([]);
    expect(resaved.filter((n) => n.startsWith('rpdl>'))).toHaveLength(5);
  });

  it('the bare-name alias never takes a name another class holds', () => {
    class Taken extends layers.Layer {
      static className = 'TakenByTfjs';
    }
    class Ours extends layers.Layer {
      static className = 'rpdl>TakenByTfjs';
    }
    serialization.registerClass(Taken);
    registerLayerClass(Ours);
    const map = serialization.SerializationMap.getMap().classNameMap;
    expect(map.TakenByTfjs?.[0]).toBe(Taken);
    expect(map['rpdl>TakenByTfjs']?.[0]).toBe(Ours);
  });

  it('refuses a class outside the namespace', () => {
    class Bare extends layers.Layer {
      static className = 'BareLayer';
    }
    expect(() => registerLayerClass(Bare)).toThrow(
      "registerLayerClass expects a class name in the 'rpdl>' namespace, got 'BareLayer'",
    );
  });

  it('without the registration, tfjs names the unknown namespaced class', async () => {
    const artifacts = legacyArtifacts();
    const topology = JSON.stringify(artifacts.modelTopology).replaceAll(
      '"class_name":"VaeSampling"',
      '"class_name":"rpdl>NotRegistered"',
    );
    await expect(
      loadLayersModel(io.fromMemory({ ...artifacts, modelTopology: JSON.parse(topology) })),
    ).rejects.toThrow('Unknown layer: rpdl>NotRegistered');
  });
});
