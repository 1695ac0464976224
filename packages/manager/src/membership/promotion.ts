import type { Node } from '@shoal/api';

/** How a worker becomes a manager. */
export type Promotion =
  /** Its manager runs (a demoted manager, which keeps running as a non-voter): add it back as a voter. */
  | { kind: 'add-voter' }
  /** Its agent declared --manager-listen and is connected: it starts a manager that joins as this node. */
  | { kind: 'start-manager' }
  | { kind: 'refuse'; reason: string };

/** Which way `node` can be promoted, given whether its agent holds a session with this (the leading) manager. */
export function promotionOf(node: Node, agentConnected: boolean): Promotion {
  const name = node.description.hostname || node.id;
  if (node.managerStatus.addr) return { kind: 'add-voter' };
  if (!node.status.managerListen) {
    return {
      kind: 'refuse',
      reason: `node ${name} runs no manager: restart its agent with --manager-listen HOST:PORT, or start a manager there with shoal manager --join <MANAGER> --token <MANAGER TOKEN>`,
    };
  }
  if (!agentConnected) return { kind: 'refuse', reason: notConnected(name) };
  return { kind: 'start-manager' };
}

/** The refusal for a node whose agent, which would start its manager, holds no session. */
export function notConnected(name: string): string {
  return `node ${name} is not connected: its agent starts the manager, so it must be running to be promoted`;
}
