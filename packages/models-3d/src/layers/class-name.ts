import { serialization } from '@tensorflow/tfjs-core';

/**
 * Namespace of every class name this package serialises: a saved model names
 * `rpdl>BatchNormalization3D`, which cannot clash with a layer a later tfjs-layers ships.
 */
export const CLASS_NAMESPACE = 'rpdl';

/**
 * The serialised class name of one of this package's layers.
 *
 * @example
 * namespacedClassName('UpSampling3D'); // 'rpdl>UpSampling3D'
 */
export function namespacedClassName(name: string): string {
  return `${CLASS_NAMESPACE}>${name}`;
}

const defaultNameCounts = new Map<string, number>();

/**
 * `args` with a default layer name when it has none. tfjs-layers derives the default from the
 * class name, and `>` is not allowed in weight names, so this package's layers name themselves
 * from the short name, in tfjs-layers' own format (`batch_normalization3d_BatchNormalization3D1`),
 * so the names are those models had before the namespace.
 *
 * @example
 * withDefaultName({}, 'UpSampling3D').name; // 'up_sampling3d_UpSampling3D1'
 */
export function withDefaultName<A extends { name?: string }>(
  args: A,
  shortName: string,
): A & { name: string } {
  if (args.name) return { ...args, name: args.name };
  const count = (defaultNameCounts.get(shortName) ?? 0) + 1;
  defaultNameCounts.set(shortName, count);
  const snake = shortName
    .replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
  return { ...args, name: `${snake}_${shortName}${count}` };
}

/**
 * Registers a layer class with tfjs serialisation under its namespaced name, and under the
 * name it had before the namespace (`BatchNormalization3D`), so model.json files saved then
 * still load. The old name is only claimed while no other class holds it: a layer tfjs-layers
 * registers under that name keeps it.
 *
 * @example
 * registerLayerClass(UpSampling3D); // loads 'rpdl>UpSampling3D' and 'UpSampling3D'
 */
export function registerLayerClass(
  cls: serialization.SerializableConstructor<serialization.Serializable>,
): void {
  const prefix = `${CLASS_NAMESPACE}>`;
  if (!cls.className.startsWith(prefix)) {
    throw new Error(
      `registerLayerClass expects a class name in the '${prefix}' namespace, got '${cls.className}'`,
    );
  }
  serialization.registerClass(cls);
  const map = serialization.SerializationMap.getMap().classNameMap;
  const legacyName = cls.className.slice(prefix.length);
  const holder = map[legacyName];
  if (holder === undefined || holder[0] === cls) {
    map[legacyName] = [cls, cls.fromConfig];
  }
}
