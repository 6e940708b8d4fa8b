import { runExampleCli } from '@rpdl/example-3d-common';
import { myronenko2018Example } from './example.js';

await runExampleCli(myronenko2018Example, process.argv.slice(2));
