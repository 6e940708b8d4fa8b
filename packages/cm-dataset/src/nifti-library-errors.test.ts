import { describe, expect, it, vi } from 'vitest';
import { nifti } from '../test/nifti-fixture.js';
import { parseNifti, VolumeFormatError } from './index.js';

// Whatever nifti-reader-js throws on input that passed validation must still surface as the
// package's own error: here the library is made to fail the way it does on bad input.
vi.mock('nifti-reader-js', () => ({
  readHeader: () => {
    throw new TypeError("Cannot read properties of undefined (reading 'esize')");
  },
}));

describe('nifti-reader-js errors', () => {
  it('are wrapped in VolumeFormatError with the library message', async () => {
    const bytes = nifti({ dims: [2], datatype: 2, bitpix: 8, values: [1, 2] });
    const error = await parseNifti(bytes).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VolumeFormatError);
    expect((error as Error).message).toBe(
      "nifti-reader-js could not read the header (Cannot read properties of undefined (reading 'esize'))",
    );
  });
});
