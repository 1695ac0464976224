import type { Logger, Task } from '@shoal/api';
import type { Controller } from '../exec/controller.js';
import type { Executor, LogEntry, LogQuery } from '../exec/executor.js';
import { removeOrphans } from './adopt.js';
import { containerName, type NodeIdentity } from './container-config.js';
import { DockerController } from './controller.js';
import { ImagePuller } from './image-puller.js';
import type { Engine } from './engine.js';
import { streamContainerLogs } from './logs.js';

/** Tasks as containers of the local Docker engine. */
export class DockerExecutor implements Executor {
  private readonly images: ImagePuller;

  constructor(
    private readonly engine: Engine,
    private readonly node: NodeIdentity,
    private readonly logger: Logger,
    /** Connections this node's routing mesh has open to a task: the drain's count when the engine's /proc is not ours. */
    private readonly meshConnections: (taskId: string) => Promise<number> = () => Promise.resolve(0),
  ) {
    this.images = new ImagePuller(engine.docker, engine.host);
  }

  controller(task: Task): Controller {
    return new DockerController(this.engine.docker, task, this.node, this.engine.host, this.images, () => this.meshConnections(task.id));
  }

  removeOrphans(assigned: () => ReadonlySet<string>): Promise<void> {
    return removeOrphans(this.engine.docker, this.node.id, this.engine.host, assigned, this.logger);
  }

  logs(task: Task, query: LogQuery, onEntry: (entry: LogEntry) => void, signal: AbortSignal): Promise<void> {
    return streamContainerLogs(this.engine.docker, containerName(task), query, onEntry, signal, this.engine.host);
  }
}
