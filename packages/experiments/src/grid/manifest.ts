import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '@rpdl/atomic-fs';
import type { DatasetSource } from '../runs/dataset-source.js';
import type { GridLayout } from './grid.js';
import type { Profile } from './profiles.js';

/** The directory holds no reproduction (no `reproduction.json`). */
export class ManifestMissingError extends Error {
  override name = 'ManifestMissingError';
}

/** The directory holds a reproduction made with other settings than the ones given now. */
export class ManifestMismatchError extends Error {
  override name = 'ManifestMismatchError';
}

/** `<out>/reproduction.json`: the settings every run in the directory shares. */
export interface Manifest {
  profile: Profile;
  seed: number;
  source: DatasetSource;
  layout: GridLayout;
}

/** The manifest's file name. */
export const MANIFEST_FILE = 'reproduction.json';

/**
 * Reads `<out>/reproduction.json`, with a clear error when the directory holds no reproduction.
 *
 * @example
 * const { layout } = await readManifest('runs/quick');
 */
export async function readManifest(out: string): Promise<Manifest> {
  const path = join(out, MANIFEST_FILE);
  if (!existsSync(path)) {
    throw new ManifestMissingError(
      `${out} holds no reproduction (no ${MANIFEST_FILE}); run rpdl reproduce --out ${out} first`,
    );
  }
  return JSON.parse(await readFile(path, 'utf8')) as Manifest;
}

/**
 * Records the manifest, or checks that an existing one (from an earlier or parallel shard) agrees:
 * runs trained under different settings must not be merged into one report.
 *
 * @example
 * await writeOrCheckManifest('runs/quick', manifest);
 */
export async function writeOrCheckManifest(out: string, manifest: Manifest): Promise<void> {
  const path = join(out, MANIFEST_FILE);
  if (existsSync(path)) {
    const existing = await readFile(path, 'utf8');
    const expected = `${JSON.stringify(manifest, null, 2)}\n`;
    if (existing !== expected) {
      throw new ManifestMismatchError(
        `${out} was created with other settings (profile, seed, data or overrides differ, see ${path}); choose another --out or remove it`,
      );
    }
    return;
  }
  await writeJsonAtomic(path, manifest);
}
