import { describe, expect, it } from 'vitest';
import { seededRand } from '@shoal/api';
import type { Node, Service, Task } from '@shoal/api';
import { reconcileNodeDown, reconcileReplicated } from '../../../packages/manager/src/orchestrator/index.js';
import { makeNode, makeService, makeTask } from '../scheduler/fixtures.js';
import { summary } from './summary.js';

const web = makeService({ id: 'web', replicas: 2 });
const glob = makeService({ id: 'glob', mode: 'global' });
const services = new Map<string, Service>([[web.id, web], [glob.id, glob]]);

describe('reconcileNodeDown', () => {
  it.each([
    {
      name: 'live replicated tasks are removed',
      node: makeNode({ id: 'a', state: 'down' }),
      tasks: [
        makeTask({ id: 'run', service: web, nodeId: 'a', state: 'RUNNING' }),
        makeTask({ id: 'prep', service: web, slot: 2, nodeId: 'a', state: 'PREPARING' }),
      ],
      want: ['update run REMOVE', 'update prep REMOVE'],
    },
    {
      name: 'global tasks, ended tasks, tasks already stopping and tasks of removed services stay',
      node: makeNode({ id: 'a', state: 'down' }),
      tasks: [
        makeTask({ id: 'g', service: glob, slot: 0, nodeId: 'a', state: 'RUNNING' }),
        makeTask({ id: 'done', service: web, nodeId: 'a', state: 'FAILED' }),
        makeTask({ id: 'stopping', service: web, nodeId: 'a', state: 'RUNNING', desired: 'SHUTDOWN' }),
        makeTask({ id: 'orphan', service: makeService({ id: 'removed' }), nodeId: 'a', state: 'RUNNING' }),
      ],
      want: [],
    },
    {
      name: 'a node that is not down changes nothing',
      node: makeNode({ id: 'a', state: 'unknown' }),
      tasks: [makeTask({ id: 'run', service: web, nodeId: 'a', state: 'RUNNING' })],
      want: [],
    },
  ])('$name', ({ node, tasks, want }) => {
    expect(summary(reconcileNodeDown(node, tasks, services))).toEqual(want);
  });

  it('fails over: the slot is refilled once, and the returning node never gives a slot two running tasks', () => {
    const down = makeNode({ id: 'a', state: 'down' });
    let tasks: Task[] = [
      makeTask({ id: 't1', service: web, slot: 1, nodeId: 'a', state: 'RUNNING' }),
      makeTask({ id: 't2', service: web, slot: 2, nodeId: 'b', state: 'RUNNING' }),
    ];
    const apply = (actions: ReturnType<typeof reconcileNodeDown>) => {
      for (const a of actions) {
        if (a.kind === 'create') tasks.push(a.task);
        else if (a.kind === 'update') tasks = tasks.map((t) => (t.id === a.task.id ? a.task : t));
      }
    };
    apply(reconcileNodeDown(down, tasks, services));
    let nodes = new Map<string, Node>([['a', down], ['b', makeNode({ id: 'b' })]]);
    apply(reconcileReplicated(web, tasks, nodes, 0, seededRand(1)));
    expect(tasks.filter((t) => t.slot === 1 && t.desiredState === 'RUNNING')).toHaveLength(1);
    // The node comes back with its old container still running: nothing is desired to run twice.
    nodes = new Map([['a', makeNode({ id: 'a' })], ['b', makeNode({ id: 'b' })]]);
    expect(reconcileReplicated(web, tasks, nodes, 0, seededRand(2))).toEqual([]);
    expect(tasks.find((t) => t.id === 't1')?.desiredState).toBe('REMOVE');
  });
});
