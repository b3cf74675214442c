import type { Config } from 'jest';
import { nodeProject } from '../../jest.preset.ts';

const config: Config = nodeProject('chat-domain');
export default config;
