import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeReadme } from '../../../tooling/testing/readme-doctest.js';

// Every ```ts block of the README, run as written.
describeReadme(resolve(dirname(fileURLToPath(import.meta.url)), '..'));
