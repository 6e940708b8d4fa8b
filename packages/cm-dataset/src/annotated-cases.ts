import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { NpyFormatError } from './npy.js';
import { isVolumeFile, loadVolume, type Volume, VolumeFormatError } from './volume-file.js';

/** One image with the K binary annotations made on it. */
export interface AnnotatedCase {
  /** Folder name of the case. */
  name: string;
  /** Spatial shape shared by the image and its annotations, C order. */
  shape: number[];
  image: Volume;
  /** K binary masks, in file-name order. */
  annotations: Uint8Array[];
  /** File names inside the case folder. */
  files: { image: string; annotations: string[] };
}

export interface LoadAnnotatedCasesOptions {
  /** Matches the image file of a case (default: `image.npy`, `image.nii`, `image.nii.gz`). */
  image?: RegExp;
  /** Matches annotation files (default: names starting with `annotation`, `mask` or `label`). */
  annotation?: RegExp;
  /** Refuse cases with fewer annotations than this (default 1). */
  minAnnotations?: number;
}

/** Thrown when a folder of cases is not laid out as expected. */
export class AnnotatedCasesError extends Error {
  override name = 'AnnotatedCasesError';
}

const DEFAULT_IMAGE = /^image\.(npy|nii|nii\.gz)$/i;
const DEFAULT_ANNOTATION = /^(annotation|mask|label)[^/\\]*\.(npy|nii|nii\.gz)$/i;

/**
 * Loads a multi-annotator dataset of your own: `dir` holds one sub-folder per case, each with an
 * image and K ≥ 1 annotation volumes, as `.npy` or NIfTI (`.nii`, `.nii.gz`):
 *
 * ```
 * dir/case01/image.nii.gz  dir/case01/annotation-a.nii.gz  dir/case01/annotation-b.nii.gz
 * dir/case02/image.npy     dir/case02/mask1.npy            …
 * ```
 *
 * Cases come back sorted by folder name, annotations by file name. Every annotation must have
 * the image's shape and hold only 0 and 1. Pass the annotations to `rewardPenaltyMap` of
 * `@rpdl/rpmap` to train with RPDL.
 *
 * @throws AnnotatedCasesError for an empty folder, a case without exactly one image, too few
 *   annotations, a shape mismatch or a non-binary annotation; VolumeFormatError / NpyFormatError
 *   for unreadable files, with a message that starts `case <name>: <path>: `.
 *
 * @example
 * const cases = await loadAnnotatedCases('my-data');
 * const map = rewardPenaltyMap(cases[0].annotations);
 */
export async function loadAnnotatedCases(
  dir: string,
  options: LoadAnnotatedCasesOptions = {},
): Promise<AnnotatedCase[]> {
  const imagePattern = options.image ?? DEFAULT_IMAGE;
  const annotationPattern = options.annotation ?? DEFAULT_ANNOTATION;
  const minAnnotations = options.minAnnotations ?? 1;
  if (!Number.isInteger(minAnnotations) || minAnnotations < 1) {
    throw new RangeError(`minAnnotations must be a positive integer, got ${minAnnotations}`);
  }
  const entries = await readdir(dir, { withFileTypes: true });
  const caseNames = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  if (caseNames.length === 0) {
    throw new AnnotatedCasesError(
      `${dir}: no case folders found; expected one sub-folder per case`,
    );
  }
  const cases: AnnotatedCase[] = [];
  for (const name of caseNames) {
    const folder = join(dir, name);
    const files = (await readdir(folder)).filter(isVolumeFile).sort();
    const images = files.filter((f) => imagePattern.test(f));
    const annotationFiles = files.filter((f) => !imagePattern.test(f) && annotationPattern.test(f));
    if (images.length !== 1) {
      throw new AnnotatedCasesError(
        `${folder}: expected exactly one image matching ${imagePattern}, found ${images.length === 0 ? 'none' : images.join(', ')}`,
      );
    }
    if (annotationFiles.length < minAnnotations) {
      throw new AnnotatedCasesError(
        `${folder}: expected at least ${minAnnotations} annotation file(s) matching ${annotationPattern}, found ${annotationFiles.length}`,
      );
    }
    const image = await loadCaseVolume(name, join(folder, images[0]!));
    const annotations: Uint8Array[] = [];
    for (const file of annotationFiles) {
      const volume = await loadCaseVolume(name, join(folder, file));
      if (volume.shape.join() !== image.shape.join()) {
        throw new AnnotatedCasesError(
          `${folder}/${file}: shape (${volume.shape.join(', ')}) differs from the image's (${image.shape.join(', ')})`,
        );
      }
      const mask = new Uint8Array(volume.data.length);
      for (let i = 0; i < mask.length; i++) {
        const v = volume.data[i]!;
        if (v !== 0 && v !== 1) {
          throw new AnnotatedCasesError(
            `${folder}/${file}: voxel ${i} is ${v}; annotations must be binary (0 or 1)`,
          );
        }
        mask[i] = v;
      }
      annotations.push(mask);
    }
    cases.push({
      name,
      shape: [...image.shape],
      image,
      annotations,
      files: { image: images[0]!, annotations: annotationFiles },
    });
  }
  return cases;
}

/** Reads one file of a case, naming the case in any format error. */
async function loadCaseVolume(caseName: string, path: string): Promise<Volume> {
  try {
    return await loadVolume(path);
  } catch (error) {
    if (error instanceof VolumeFormatError) {
      throw new VolumeFormatError(`case ${caseName}: ${error.message}`);
    }
    if (error instanceof NpyFormatError) {
      throw new NpyFormatError(`case ${caseName}: ${error.message}`);
    }
    throw error;
  }
}
