import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@shoal/api';
import type { Agent, AgentOptions, Promotion } from '@shoal/agent';
import type { Manager, ManagerOptions } from '@shoal/manager';
import { CliError } from '../errors.js';

/** The manager a promoted node runs in the agent's process. */
export interface NodeManagerOptions {
  /** --manager-listen; undefined when the node cannot host a manager. */
  listen: string | undefined;
  hostname?: string;
  logger: Logger;
}

export interface NodeDaemon {
  agent: Agent;
  /** Resolves with the error once the node's manager stopped itself (its Raft log failed); never otherwise. */
  failed: Promise<Error>;
  stop(): Promise<void>;
}

/**
 * `shoal agent`: the node's agent and, once the node is promoted, its manager in the same process. A promoted
 * node's manager joins the cluster as this node (its id, and the agent's secret, so the agent's session keeps
 * working), with its data in <agent data dir>/manager; a restarted agent finds that manager's identity.json there
 * and starts it again, before the agent (the cluster may need it for a quorum). Stopping stops the agent, then the
 * manager.
 */
export async function startNodeDaemon(agentOpts: AgentOptions, managerOpts: NodeManagerOptions): Promise<NodeDaemon> {
  // Loaded here, not at start-up: client commands need neither daemon (nor LevelDB, nor dockerode).
  const [{ startManager }, { startAgent }] = await Promise.all([import('@shoal/manager'), import('@shoal/agent')]);
  const { listen, logger } = managerOpts;
  const dataDir = join(agentOpts.dataDir, 'manager');
  let reportFailure: (err: Error) => void = () => undefined;
  const failed = new Promise<Error>((resolve) => { reportFailure = resolve; });
  let manager: Promise<Manager | undefined> | undefined;
  let stopping = false;

  const launch = (at: string, extra: Pick<ManagerOptions, 'join' | 'identity'>): Promise<Manager> => startManager({
    listen: at, dataDir, logger, ...(managerOpts.hostname !== undefined ? { hostname: managerOpts.hostname } : {}), ...extra,
  }).then((m) => {
    void m.failed.then(reportFailure);
    return m;
  });
  const promoted = (at: string, p: Promotion) => {
    if (stopping) return;
    if (manager) { logger.info('node promoted again: its manager already runs or is starting'); return; }
    manager = launch(at, { join: { addr: p.joinAddr, token: p.token }, identity: { nodeId: p.nodeId, nodeSecret: p.nodeSecret } }).then((m) => {
      logger.info({ addr: m.info.addr }, 'promoted: this node\'s manager joined the cluster');
      return m;
    }, (err: unknown) => {
      // The node runs its tasks on, its manager Unreachable; demoting and promoting it again retries.
      logger.error({ err: (err as Error).message }, 'promoted, but this node\'s manager could not start');
      manager = undefined;
      return undefined;
    });
  };

  if (await promotedBefore(dataDir)) {
    if (listen === undefined) throw new CliError(`this node was promoted (its manager's data is in ${dataDir}): start the agent with --manager-listen HOST:PORT`);
    const m = await launch(listen, {});
    manager = Promise.resolve(m);
  }
  let agent: Agent;
  try {
    agent = await startAgent({ ...agentOpts, meshThread: true, ...(listen !== undefined ? { managerListen: listen, onPromote: (p: Promotion) => promoted(listen, p) } : {}) });
  } catch (err) {
    await (await manager)?.stop();
    throw err;
  }
  return {
    agent,
    failed,
    stop: async () => {
      stopping = true;
      await agent.stop();
      await (await manager)?.stop();
    },
  };
}

/** Whether this node's manager joined once: it writes identity.json only after the cluster accepted it. */
async function promotedBefore(dataDir: string): Promise<boolean> {
  return access(join(dataDir, 'identity.json')).then(() => true, () => false);
}
