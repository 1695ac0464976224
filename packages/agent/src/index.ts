export { startAgent } from './agent.js';
export type { Agent, AgentOptions } from './options.js';
