import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeReadme } from '../../../tooling/testing/readme-doctest.js';

describeReadme(resolve(dirname(fileURLToPath(import.meta.url)), '..'));
