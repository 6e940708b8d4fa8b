import { runExampleCli } from '@rpdl/example-3d-common';
import { isensee2017Example } from './example.js';

await runExampleCli(isensee2017Example, process.argv.slice(2));
