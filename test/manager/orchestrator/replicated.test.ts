import { describe, expect, it } from 'vitest';
import { seededRand } from '@shoal/api';
import type { Node, Task } from '@shoal/api';
import { reconcileReplicated } from '../../../packages/manager/src/orchestrator/index.js';
import { makeNode, makeService, makeTask } from '../scheduler/fixtures.js';
import type { TaskOpts } from '../scheduler/fixtures.js';
import { summary } from './summary.js';

const NOW = 1_700_000_000_000;
const nodes = new Map<string, Node>(['a', 'b', 'c'].map((id) => [id, makeNode({ id })]));
const running = (id: string, slot: number, nodeId: string, o: Partial<TaskOpts> = {}) =>
  makeTask({ id, slot, nodeId, state: 'RUNNING', ...o });

describe('reconcileReplicated', () => {
  it.each([
    { name: 'a new service gets all its slots', replicas: 3, tasks: [] as Task[], want: ['create slot 1 RUNNING', 'create slot 2 RUNNING', 'create slot 3 RUNNING'] },
    { name: 'a converged service needs nothing', replicas: 2, tasks: [running('t1', 1, 'a'), running('t2', 2, 'b')], want: [] },
    { name: 'a pending task fills its slot', replicas: 1, tasks: [makeTask({ id: 't1', slot: 1 })], want: [] },
    { name: 'a delayed restart (desired READY) fills its slot', replicas: 1, tasks: [makeTask({ id: 't1', slot: 1, desired: 'READY' })], want: [] },
    {
      name: 'the missing slot is refilled, not a new number',
      replicas: 3,
      tasks: [running('t1', 1, 'a'), running('t3', 3, 'b'), running('old', 2, 'c', { state: 'SHUTDOWN', desired: 'SHUTDOWN' })],
      want: ['create slot 2 RUNNING'],
    },
    {
      name: 'an ended task still desired running belongs to the restart supervisor',
      replicas: 1, tasks: [running('t1', 1, 'a', { state: 'FAILED' })], want: [],
    },
    { name: 'scale up from 1 to 3', replicas: 3, tasks: [running('t1', 1, 'a')], want: ['create slot 2 RUNNING', 'create slot 3 RUNNING'] },
    {
      name: 'a task on a down node is removed and its slot refilled',
      replicas: 2,
      tasks: [running('t1', 1, 'a'), running('t2', 2, 'down')],
      want: ['update t2 REMOVE', 'create slot 2 RUNNING'],
    },
    {
      name: 'a task on a removed node is removed and its slot refilled',
      replicas: 1, tasks: [running('t1', 1, 'gone')], want: ['update t1 REMOVE', 'create slot 1 RUNNING'],
    },
    {
      name: 'two runnable tasks in a slot: the running, newest one stays',
      replicas: 1,
      tasks: [running('old', 1, 'a', { createdAt: 1 }), running('new', 1, 'b', { createdAt: 2 }), makeTask({ id: 'pend', slot: 1, createdAt: 3 })],
      want: ['update old SHUTDOWN', 'update pend SHUTDOWN'],
    },
    {
      name: 'scale down prefers the node with most tasks, then tasks not yet running',
      replicas: 3,
      tasks: [
        running('a1', 1, 'a'), running('a2', 2, 'a'), running('a3', 3, 'a', { state: 'PREPARING' }),
        running('b1', 4, 'b'), running('c1', 5, 'c'),
      ],
      want: ['update a2 REMOVE', 'update a3 REMOVE'],
    },
    {
      name: 'scale down removes unplaced tasks first',
      replicas: 1,
      tasks: [running('a1', 1, 'a'), makeTask({ id: 'p1', slot: 2 }), running('b1', 3, 'b')],
      want: ['update b1 REMOVE', 'update p1 REMOVE'],
    },
    {
      name: 'scale to zero',
      replicas: 0, tasks: [running('t1', 1, 'a'), running('t2', 2, 'b')], want: ['update t1 REMOVE', 'update t2 REMOVE'],
    },
    {
      name: 'tasks of other services are ignored',
      replicas: 1, tasks: [running('x', 1, 'a', { service: makeService({ id: 'other' }) })], want: ['create slot 1 RUNNING'],
    },
  ])('$name', ({ replicas, tasks, want }) => {
    const withDown = new Map(nodes).set('down', makeNode({ id: 'down', state: 'down' }));
    const before = structuredClone(tasks);
    const actions = reconcileReplicated(makeService({ replicas }), tasks, withDown, NOW, seededRand(1));
    expect(summary(actions)).toEqual(want);
    expect(tasks).toEqual(before); // inputs are never mutated
  });

  it('creates complete tasks from the service spec', () => {
    const service = makeService({ id: 'web', name: 'web', replicas: 1, memoryBytes: 1024 });
    const [action] = reconcileReplicated(service, [], nodes, NOW, seededRand(7));
    if (action?.kind !== 'create') throw new Error('expected a create');
    expect(action.task).toMatchObject({
      serviceId: 'web', serviceName: 'web', slot: 1, nodeId: '', desiredState: 'RUNNING',
      meta: { createdAt: NOW }, status: { state: 'NEW', timestamp: NOW },
      spec: { resources: { reservations: { memoryBytes: 1024 } } },
    });
    expect(action.task.id).toMatch(/^[0-9a-z]{25}$/);
    expect(action.task.spec).not.toBe(service.spec.task);
    const again = reconcileReplicated(service, [], nodes, NOW, seededRand(7));
    expect(again).toEqual([action]); // same seed, same ids
  });
});
