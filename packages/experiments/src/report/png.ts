import { PNG } from 'pngjs';

/** An 8-bit RGB image, row-major, 3 bytes per pixel. */
export interface RgbImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/**
 * Encodes an RGB image as PNG (8-bit truecolour, no interlace) with `pngjs`, the encoder the
 * examples' panels use too.
 *
 * @example
 * const png = encodePng({ width: 1, height: 1, pixels: new Uint8Array([255, 0, 0]) });
 */
export function encodePng(image: RgbImage): Uint8Array {
  const { width, height, pixels } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`PNG size must be positive integers, got ${width}×${height}`);
  }
  if (pixels.length !== width * height * 3) {
    throw new RangeError(
      `an RGB ${width}×${height} image needs ${width * height * 3} bytes, got ${pixels.length}`,
    );
  }
  const png = new PNG({ width, height, colorType: 2, inputColorType: 2, inputHasAlpha: false });
  png.data = Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  // Filter 0 on every row: the panels are small, and the file stays a plain function of the pixels.
  return new Uint8Array(
    PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false, filterType: 0 }),
  );
}
