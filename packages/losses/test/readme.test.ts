import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeReadme } from '../../../tooling/testing/readme-doctest.js';

// Every ```ts block of the README, run as written (the 2D example trains a model: allow time).
describeReadme(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 240_000);
