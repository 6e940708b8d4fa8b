import { createGunzip } from 'node:zlib';
import { VolumeFormatError } from './volume-format-error.js';

export interface BoundedGunzipOptions {
  /** Hard upper bound on the inflated size, whatever the content claims. */
  maxBytes: number;
  /** How many inflated bytes `expectedSize` needs to see (fewer if the stream ends first). */
  prefixBytes: number;
  /**
   * The total inflated size the content declares, judged from its first bytes; may throw to
   * refuse the content outright. Inflation stops at the first byte beyond it.
   */
  expectedSize: (prefix: Uint8Array) => number;
}

/** Inflated output is produced in pieces this large, so at most this much is overshot. */
const CHUNK_BYTES = 256 * 1024;

/**
 * Inflates gzip data in a stream and stops as soon as the output passes the size its own first
 * bytes declare (or `maxBytes`), so a small file that expands a thousandfold costs at most what
 * its header claims rather than what the stream would produce. The output buffer is allocated
 * once, at the declared size; a stream that ends early comes back shorter, for the caller's
 * size check to report.
 *
 * @throws VolumeFormatError for corrupt gzip data, a declared size above `maxBytes`, or data
 *   longer than declared; whatever `expectedSize` throws.
 *
 * @example
 * const bytes = await boundedGunzip(gz, { maxBytes: 2 ** 30, prefixBytes: 540, expectedSize: (p) => fileSize(p) });
 */
export function boundedGunzip(
  compressed: Uint8Array,
  options: BoundedGunzipOptions,
): Promise<Uint8Array> {
  const { maxBytes, prefixBytes, expectedSize } = options;
  return new Promise<Uint8Array>((resolve, reject) => {
    const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
    let settled = false;
    let prefix: Uint8Array[] = [];
    let out: Uint8Array | undefined;
    let limit = 0;
    let written = 0;

    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      gunzip.destroy();
      reject(error);
    };
    // Called once the prefix is complete (or the stream ended): fixes the output size.
    const commit = (): boolean => {
      const head = concat(prefix, written);
      prefix = [];
      let declared: number;
      try {
        declared = expectedSize(head);
      } catch (error) {
        fail(error);
        return false;
      }
      if (declared > maxBytes) {
        fail(
          new VolumeFormatError(
            `gzip data expands to more than ${maxBytes} bytes (maxDecompressedBytes): its header declares ${declared}; raise the limit if the volume really is that large`,
          ),
        );
        return false;
      }
      limit = declared;
      if (written > limit) {
        fail(tooLong(limit));
        return false;
      }
      out = new Uint8Array(limit);
      out.set(head);
      return true;
    };

    gunzip.on('data', (chunk: Buffer) => {
      if (settled) return;
      if (out === undefined) {
        prefix.push(chunk);
        written += chunk.byteLength;
        if (written > maxBytes) {
          fail(capExceeded(maxBytes));
          return;
        }
        if (written >= prefixBytes) commit();
        return;
      }
      if (written + chunk.byteLength > limit) {
        fail(tooLong(limit));
        return;
      }
      out.set(chunk, written);
      written += chunk.byteLength;
    });
    gunzip.on('error', (error: Error) => {
      fail(new VolumeFormatError(`corrupt gzip data (${error.message})`));
    });
    gunzip.on('end', () => {
      if (settled) return;
      if (out === undefined && !commit()) return;
      settled = true;
      resolve(written === out!.byteLength ? out! : out!.subarray(0, written));
    });
    gunzip.end(compressed);
  });
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

function tooLong(limit: number): VolumeFormatError {
  return new VolumeFormatError(
    `gzip data expands beyond the ${limit} bytes its header declares (header, extensions and voxels)`,
  );
}

function capExceeded(maxBytes: number): VolumeFormatError {
  return new VolumeFormatError(
    `gzip data expands to more than ${maxBytes} bytes (maxDecompressedBytes); raise the limit if the volume really is that large`,
  );
}
