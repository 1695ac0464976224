import type Dockerode from 'dockerode';
import type { Logger } from '@shoal/api';
import { LABEL_NODE_ID, LABEL_TASK_ID } from './container-config.js';
import { engineError, httpStatus } from './errors.js';

export interface NodeContainer {
  id: string;
  name: string;
  taskId: string;
  running: boolean;
}

/** The containers of this node, and only those: several agents may share one engine. */
export async function nodeContainers(docker: Dockerode, nodeId: string, host: string): Promise<NodeContainer[]> {
  try {
    const list = await docker.listContainers({ all: true, filters: { label: [`${LABEL_NODE_ID}=${nodeId}`] } });
    return list.map((c) => ({
      id: c.Id,
      name: (c.Names[0] ?? '').replace(/^\//, ''),
      taskId: c.Labels[LABEL_TASK_ID] ?? '',
      running: c.State === 'running',
    }));
  } catch (err) {
    throw engineError(err, host);
  }
}

/**
 * Stops (with each container's own stop timeout) and removes this node's containers whose task is not
 * assigned. Containers of assigned tasks are left to their runners, which adopt them.
 * Called only with the manager's full assignment set: a stored set may be stale.
 */
export async function removeOrphans(
  docker: Dockerode, nodeId: string, host: string, assigned: () => ReadonlySet<string>, logger: Logger,
): Promise<void> {
  const containers = await nodeContainers(docker, nodeId, host);
  const keep = assigned(); // read after listing, so a task assigned meanwhile is not mistaken for an orphan
  await Promise.all(containers.filter((c) => !keep.has(c.taskId)).map(async (c) => {
    logger.info({ container: c.name, taskId: c.taskId }, 'removing container of a task no longer assigned');
    const container = docker.getContainer(c.id);
    // 304: already stopped; 404: already gone (its runner may be removing it too)
    if (c.running) await tolerate([304, 404], () => container.stop(), host);
    await tolerate([404], () => container.remove({ force: true, v: true }), host);
  }));
}

async function tolerate(statuses: number[], call: () => Promise<unknown>, host: string): Promise<void> {
  try {
    await call();
  } catch (err) {
    const status = httpStatus(err);
    if (status === undefined || !statuses.includes(status)) throw engineError(err, host);
  }
}
