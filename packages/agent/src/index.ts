export { startAgent } from './agent.js';
export type { Agent, AgentOptions, Promotion } from './options.js';
