import { describe, expect, it } from 'vitest';
import type { Node, Service, Task } from '@shoal/api';
import { reapServiceTasks } from '../../../packages/manager/src/orchestrator/index.js';
import { makeNode, makeService, makeTask } from '../scheduler/fixtures.js';
import type { TaskOpts } from '../scheduler/fixtures.js';
import { summary } from './summary.js';

const web = makeService({ id: 'web', replicas: 2 });
const glob = makeService({ id: 'glob', mode: 'global' });
const nodes = new Map<string, Node>([['a', makeNode({ id: 'a' })], ['b', makeNode({ id: 'b' })], ['d', makeNode({ id: 'd', state: 'down' })]]);

const old = (id: string, createdAt: number, o: Partial<TaskOpts> = {}) =>
  makeTask({ id, service: web, nodeId: 'a', state: 'FAILED', desired: 'SHUTDOWN', createdAt, ...o });
/** Slot 1 with n ended tasks h1 (oldest) .. hn and a running current one. */
const slotHistory = (n: number): Task[] => [
  ...Array.from({ length: n }, (_, i) => old(`h${i + 1}`, i + 1)),
  makeTask({ id: 'cur', service: web, nodeId: 'a', state: 'RUNNING', createdAt: 100 }),
];

describe('reapServiceTasks', () => {
  it.each([
    { name: 'history within the limit stays', service: web as Service | undefined, tasks: slotHistory(5), limit: 5, want: [] as string[] },
    { name: 'the oldest beyond the limit go', service: web, tasks: slotHistory(7), limit: 5, want: ['delete h2', 'delete h1'] },
    { name: 'a limit of 1', service: web, tasks: slotHistory(3), limit: 1, want: ['delete h2', 'delete h1'] },
    { name: 'slots are counted apart', service: web, tasks: [...slotHistory(2), old('s2', 1, { slot: 2 })], limit: 2, want: [] },
    {
      name: 'global history is counted per node',
      service: glob,
      tasks: [
        old('a1', 1, { service: glob, slot: 0 }), old('a2', 2, { service: glob, slot: 0 }),
        old('b1', 1, { service: glob, slot: 0, nodeId: 'b' }),
      ],
      limit: 1, want: ['delete a1'],
    },
    {
      name: "a slot's current task is kept even when it ended",
      service: web, tasks: [old('h1', 1), old('dead', 2, { desired: 'RUNNING' })], limit: 0, want: ['delete h1'],
    },
    {
      name: 'a task still stopping is not history yet',
      service: web, tasks: [old('stopping', 1, { state: 'RUNNING' })], limit: 0, want: [],
    },
    {
      name: 'a stopped task that never reached a node, or sits on a down node, is history',
      service: web, tasks: [old('unplaced', 1, { state: 'PENDING', nodeId: '' }), old('ondown', 2, { state: 'RUNNING', nodeId: 'd' })], limit: 0,
      want: ['delete ondown', 'delete unplaced'],
    },
    {
      name: 'removed slots are deleted once stopped, leaving no history',
      service: web,
      tasks: [old('gone', 1, { slot: 3, desired: 'REMOVE', state: 'SHUTDOWN' }), old('going', 1, { slot: 4, desired: 'REMOVE', state: 'RUNNING' })],
      limit: 5, want: ['delete gone'],
    },
    {
      name: 'a removed service: ended tasks go, live ones are told to stop, unreachable ones go',
      service: undefined,
      tasks: [
        old('ended', 1),
        makeTask({ id: 'live', service: web, nodeId: 'a', state: 'RUNNING' }),
        makeTask({ id: 'unplaced', service: web, state: 'PENDING' }),
        makeTask({ id: 'ondown', service: web, nodeId: 'd', state: 'RUNNING' }),
        makeTask({ id: 'onremoved', service: web, nodeId: 'x', state: 'RUNNING' }),
      ],
      limit: 5, want: ['delete ended', 'update live REMOVE', 'delete unplaced', 'delete ondown', 'delete onremoved'],
    },
  ])('$name', ({ service, tasks, limit, want }) => {
    const before = structuredClone(tasks);
    expect(summary(reapServiceTasks(service, tasks, nodes, limit))).toEqual(want);
    expect(tasks).toEqual(before);
  });

  it('keeps 5 per slot by default', () => {
    expect(summary(reapServiceTasks(web, slotHistory(6), nodes))).toEqual(['delete h1']);
  });
});
