import { runExampleCli } from '@rpdl/example-3d-common';
import { vnet3dExample } from './example.js';

await runExampleCli(vnet3dExample, process.argv.slice(2));
