import type { ControlHandlers } from '@shoal/api';
import type { ControlComponents } from './components.js';
import { clusterHandlers } from './cluster.js';
import { nodeHandlers } from './nodes.js';
import { serviceHandlers } from './services.js';
import { taskHandlers } from './tasks.js';
import { logHandlers } from './logs.js';
import { eventHandlers } from './events.js';

/** The control API, one file per resource: validation there, typed errors out; gRPC codes only in handlers.ts. */
export function controlHandlers(c: ControlComponents): ControlHandlers {
  return { ...clusterHandlers(c), ...nodeHandlers(c), ...serviceHandlers(c), ...taskHandlers(c), ...logHandlers(c), ...eventHandlers(c) } as unknown as ControlHandlers;
}
