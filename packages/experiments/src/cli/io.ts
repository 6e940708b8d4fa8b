import type { ProgressSink } from '@rpdl/training';
import type { ShardEnvironment } from '../grid/shard.js';
import type { ModuleImporter } from '../platform/backend.js';

/** Streams and environment of a CLI invocation (injectable for tests). */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: ProgressSink;
  env: ShardEnvironment & Record<string, string | undefined>;
  importer?: ModuleImporter;
}
