import { runExampleCli } from '@rpdl/example-3d-common';
import { unet3dExample } from './example.js';

await runExampleCli(unet3dExample, process.argv.slice(2));
