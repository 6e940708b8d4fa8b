import { packageTestConfig } from '../../tooling/vitest.shared.ts';

export default packageTestConfig('cpu-kernels', { testTimeout: 120_000 });
