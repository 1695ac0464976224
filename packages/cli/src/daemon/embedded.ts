import type { Agent, AgentOptions } from '@shoal/agent';
import type { Manager, ManagerOptions } from '@shoal/manager';

export interface Embedded {
  manager: Manager;
  agent: Agent;
  stop(): Promise<void>;
}

/**
 * A manager and an agent for the manager's own node in one process (`shoal up`, `shoal manager --agent`): the
 * agent holds the node's session with the identity the manager gives it. If the agent cannot start, the manager
 * is stopped again, so nothing is left half-running.
 */
export async function startEmbedded(
  managerOpts: ManagerOptions,
  agentOpts: Omit<AgentOptions, 'join' | 'token' | 'nodeId' | 'nodeSecret'>,
): Promise<Embedded> {
  // Loaded here, not at start-up: client commands need neither daemon (nor LevelDB, nor dockerode).
  const [{ startManager }, { startAgent }] = await Promise.all([import('@shoal/manager'), import('@shoal/agent')]);
  const manager = await startManager(managerOpts);
  let agent: Agent;
  try {
    agent = await startAgent({ ...agentOpts, meshThread: true, join: manager.info.addr, nodeId: manager.info.nodeId, nodeSecret: manager.info.nodeSecret });
    await agent.nodeId;
  } catch (err) {
    await manager.stop();
    throw err;
  }
  return { manager, agent, stop: async () => { await agent.stop(); await manager.stop(); } };
}
