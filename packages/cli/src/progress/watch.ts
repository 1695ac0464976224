import type { Node, Service, Task } from '@shoal/api';
import type { Output } from '../output.js';
import { activeNodeIds } from '../format/services.js';
import { ProgressDisplay } from './display.js';
import { renderProgress, type ProgressLine } from './render.js';

/** How often the service's tasks are polled. */
export const POLL_MS = 250;
/** How long every task must stay running before the service counts as converged (swarm's update monitor default). */
export const VERIFY_MS = 5_000;

export interface Snapshot {
  service: Service;
  tasks: Task[];
  nodes: Node[];
}

export interface WatchOptions {
  out: Output;
  /** Reads the service, its tasks and the nodes; called every POLL_MS. */
  fetch: () => Promise<Snapshot>;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Set once the user pressed Ctrl-C: stop watching, the service keeps converging. */
  interrupted: () => boolean;
  /** How long every task must stay running; by default the service's update monitor period, else VERIFY_MS. */
  verifyMs?: number;
}

/**
 * Shows a service converging as docker does, until every task has stayed running for the verify period. Returns false
 * when interrupted first.
 */
export async function watchConvergence(opts: WatchOptions): Promise<boolean> {
  const display = new ProgressDisplay(opts.out);
  let convergedAt: number | undefined;
  for (;;) {
    const { service, tasks, nodes } = await opts.fetch();
    const view = renderProgress({ mode: service.spec.mode, replicas: service.spec.replicas, tasks, activeNodes: activeNodeIds(nodes) });
    const now = opts.now();
    let verify: ProgressLine | undefined;
    if (view.converged) {
      convergedAt ??= now;
      const left = (opts.verifyMs ?? (service.spec.update?.monitorMs || VERIFY_MS)) - (now - convergedAt);
      if (left <= 0) {
        display.show([...view.lines, { id: 'verify', text: 'Service converged' }]);
        return true;
      }
      verify = { id: 'verify', text: `Waiting ${Math.ceil(left / 1000)} seconds to verify that tasks are stable...` };
    } else if (convergedAt !== undefined) {
      verify = { id: 'verify', text: 'Detected task failure' };
      convergedAt = undefined;
    }
    display.show(verify ? [...view.lines, verify] : view.lines);
    await opts.sleep(POLL_MS);
    if (opts.interrupted()) return false;
  }
}
