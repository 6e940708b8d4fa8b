import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeReadme } from '../../../tooling/testing/readme-doctest.js';

// The repository README's ```ts blocks, run from this example, which has their dependencies
// (rpmap, losses, tfjs-core and the cpu backend) as a user's project would.
const exampleDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
describeReadme(exampleDir, 120_000, { readme: resolve(exampleDir, '../../README.md') });
