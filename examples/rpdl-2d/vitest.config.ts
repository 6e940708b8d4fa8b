import { packageTestConfig } from '../../tooling/vitest.shared.ts';

export default packageTestConfig('example-rpdl-2d');
