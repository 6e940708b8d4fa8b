import { packageTestConfig } from '../../tooling/vitest.shared.ts';

export default packageTestConfig('example-3d-common');
