// Actions as short lines, so tables of expectations stay readable.
import type { TaskAction } from '../../../packages/manager/src/orchestrator/index.js';

export function summary(actions: readonly TaskAction[]): string[] {
  return actions.map((a) => {
    switch (a.kind) {
      case 'create': return `create slot ${a.task.slot}${a.task.nodeId ? ` on ${a.task.nodeId}` : ''} ${a.task.desiredState}`;
      case 'update': return `update ${a.task.id} ${a.task.desiredState}`;
      case 'delete': return `delete ${a.taskId}`;
    }
  });
}
