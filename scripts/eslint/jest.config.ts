import type { Config } from 'jest';
import { nodeProject } from '../../jest.preset.ts';

const config: Config = nodeProject('tools');
export default config;
