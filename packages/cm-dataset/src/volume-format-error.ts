/** A volume file that cannot be read. */
export class VolumeFormatError extends Error {
  override name = 'VolumeFormatError';
}
