/**
 * Imported for its effect: every test of the importing file runs on the tfjs cpu backend, the
 * one the fused loss loops are written for.
 */
import '@tensorflow/tfjs-backend-cpu';
import { setBackend } from '@tensorflow/tfjs-core';
import { beforeAll } from 'vitest';

beforeAll(async () => {
  await setBackend('cpu');
});
