import { describe, expect, it } from 'vitest';
import { seededRand } from '@shoal/api';
import type { Task, TaskState } from '@shoal/api';
import { dueStarts, superviseRestart } from '../../../packages/manager/src/orchestrator/index.js';
import { makeNode, makeService, makeTask } from '../scheduler/fixtures.js';
import type { ServiceOpts } from '../scheduler/fixtures.js';
import { summary } from './summary.js';

const NOW = 1_700_000_000_000;
const SEC = 1000;

describe('superviseRestart', () => {
  const ended = (id: string, state: TaskState, service: ServiceOpts['restart'] = {}, timestamp = NOW) =>
    makeTask({ id, service: makeService({ restart: service }), nodeId: 'a', state, timestamp });

  it.each([
    { name: 'any: a failure restarts', restart: {}, state: 'FAILED' as TaskState, history: [] as Task[], want: ['update t SHUTDOWN', 'create slot 1 RUNNING'] },
    { name: 'any: a clean exit restarts', restart: {}, state: 'COMPLETE' as TaskState, history: [], want: ['update t SHUTDOWN', 'create slot 1 RUNNING'] },
    { name: 'an unset condition means any', restart: { condition: '' }, state: 'COMPLETE' as TaskState, history: [], want: ['update t SHUTDOWN', 'create slot 1 RUNNING'] },
    { name: 'none: no restart, the slot stays dead', restart: { condition: 'none' }, state: 'FAILED' as TaskState, history: [], want: [] },
    { name: 'on-failure: a failure restarts', restart: { condition: 'on-failure' }, state: 'FAILED' as TaskState, history: [], want: ['update t SHUTDOWN', 'create slot 1 RUNNING'] },
    { name: 'on-failure: a rejection restarts', restart: { condition: 'on-failure' }, state: 'REJECTED' as TaskState, history: [], want: ['update t SHUTDOWN', 'create slot 1 RUNNING'] },
    { name: 'on-failure: a clean exit does not', restart: { condition: 'on-failure' }, state: 'COMPLETE' as TaskState, history: [], want: [] },
    { name: 'a delay creates the new task desired READY', restart: { delayMs: 5 * SEC }, state: 'FAILED' as TaskState, history: [], want: ['update t SHUTDOWN', 'create slot 1 READY'] },
    {
      name: 'max attempts: the 3rd failure with 2 allowed restarts',
      restart: { maxAttempts: 2 }, state: 'FAILED' as TaskState,
      history: [ended('h1', 'FAILED'), ended('h2', 'FAILED')].map((t) => ({ ...t, desiredState: 'SHUTDOWN' as const })),
      want: [],
    },
    {
      name: 'max attempts: the 2nd failure with 2 allowed restarts',
      restart: { maxAttempts: 2 }, state: 'FAILED' as TaskState,
      history: [{ ...ended('h1', 'FAILED'), desiredState: 'SHUTDOWN' as const }],
      want: ['update t SHUTDOWN', 'create slot 1 RUNNING'],
    },
    {
      name: 'max attempts: tasks stopped by the manager are not attempts',
      restart: { maxAttempts: 1 }, state: 'FAILED' as TaskState,
      history: [{ ...ended('h1', 'SHUTDOWN'), desiredState: 'SHUTDOWN' as const }],
      want: ['update t SHUTDOWN', 'create slot 1 RUNNING'],
    },
    {
      name: 'max attempts within a window: old failures do not count',
      restart: { maxAttempts: 1, windowMs: 60 * SEC }, state: 'FAILED' as TaskState,
      history: [{ ...ended('h1', 'FAILED', {}, NOW - 120 * SEC), desiredState: 'SHUTDOWN' as const }],
      want: ['update t SHUTDOWN', 'create slot 1 RUNNING'],
    },
    {
      name: 'max attempts within a window: recent failures count',
      restart: { maxAttempts: 1, windowMs: 60 * SEC }, state: 'FAILED' as TaskState,
      history: [{ ...ended('h1', 'FAILED', {}, NOW - 30 * SEC), desiredState: 'SHUTDOWN' as const }],
      want: [],
    },
    {
      name: 'a slot already refilled only retires the ended task',
      restart: {}, state: 'FAILED' as TaskState, history: [makeTask({ id: 'new', nodeId: 'b', state: 'RUNNING' })],
      want: ['update t SHUTDOWN'],
    },
  ])('$name', ({ restart, state, history, want }) => {
    const task = ended('t', state, restart);
    const service = makeService({ restart });
    const slot = [...history, task];
    const before = structuredClone(slot);
    expect(summary(superviseRestart(service, task, slot, NOW, seededRand(1)))).toEqual(want);
    expect(slot).toEqual(before);
  });

  it.each([
    { name: 'a running task', state: 'RUNNING' as TaskState, desired: 'RUNNING' as TaskState },
    { name: 'a task the manager stopped', state: 'SHUTDOWN' as TaskState, desired: 'SHUTDOWN' as TaskState },
    { name: 'a removed slot', state: 'COMPLETE' as TaskState, desired: 'REMOVE' as TaskState },
  ])('leaves $name alone', ({ state, desired }) => {
    const task = makeTask({ id: 't', nodeId: 'a', state, desired });
    expect(superviseRestart(makeService(), task, [task], NOW, seededRand(1))).toEqual([]);
  });

  it('restarts a global task on its own node', () => {
    const service = makeService({ id: 'g', mode: 'global' });
    const task = makeTask({ id: 't', service, slot: 0, nodeId: 'a', state: 'FAILED' });
    expect(summary(superviseRestart(service, task, [task], NOW, seededRand(1)))).toEqual(['update t SHUTDOWN', 'create slot 0 on a RUNNING']);
  });
});

describe('dueStarts', () => {
  const service = makeService({ restart: { delayMs: 5 * SEC } });
  const nodes = new Map([['a', makeNode({ id: 'a' })], ['b', makeNode({ id: 'b' })], ['gone', makeNode({ id: 'gone', state: 'down' })]]);
  const waiting = (id: string, startAt: number, slot = 1) => makeTask({ id, service, desired: 'READY', state: 'READY', nodeId: 'a', startAt, slot });
  const stopping = (id: string, state: TaskState, nodeId = 'a', slot = 1) => makeTask({ id, service, desired: 'SHUTDOWN', state, nodeId, slot });

  it.each([
    { name: 'nothing waiting', tasks: [] as Task[], want: [] as string[], next: undefined },
    { name: 'not yet due', tasks: [waiting('t', NOW + 3 * SEC)], want: [], next: NOW + 3 * SEC },
    { name: 'due exactly now', tasks: [waiting('t', NOW)], want: ['update t RUNNING'], next: undefined },
    {
      name: 'some due, the earliest other is the wake-up',
      tasks: [waiting('t1', NOW - 4 * SEC), waiting('t2', NOW + 4 * SEC, 2), waiting('t3', NOW + SEC, 3)],
      want: ['update t1 RUNNING'], next: NOW + SEC,
    },
    { name: 'an ended task waits for nothing', tasks: [{ ...waiting('t', NOW - 9 * SEC), status: { ...waiting('t', 0).status, state: 'FAILED' as const } }], want: [], next: undefined },
    { name: 'a task desired RUNNING is not delayed', tasks: [{ ...waiting('t', NOW), desiredState: 'RUNNING' as const }], want: [], next: undefined },
    { name: 'a stop-first update waits for the task it replaces on another node to stop', tasks: [waiting('new', NOW), stopping('old', 'RUNNING', 'b')], want: [], next: undefined },
    { name: 'and starts once it has stopped', tasks: [waiting('new', NOW), stopping('old', 'SHUTDOWN')], want: ['update new RUNNING'], next: undefined },
    { name: 'a task on a down node does not hold it back', tasks: [waiting('new', NOW), stopping('old', 'RUNNING', 'gone')], want: ['update new RUNNING'], next: undefined },
    { name: 'a task that never reached a node does not either', tasks: [waiting('new', NOW), stopping('old', 'PENDING', '')], want: ['update new RUNNING'], next: undefined },
    { name: 'a task of another slot does not', tasks: [waiting('new', NOW), stopping('old', 'RUNNING', 'a', 2)], want: ['update new RUNNING'], next: undefined },
    {
      name: 'a stop-first replacement on the node of the task it replaces starts at once: its agent holds it until the old one stops',
      tasks: [waiting('new', NOW), stopping('old', 'RUNNING', 'b')].map((t) => ({ ...t, nodeId: 'b' })), want: ['update new RUNNING'], next: undefined,
    },
    {
      name: 'but not while the replacement has no node yet',
      tasks: [{ ...waiting('new', NOW), nodeId: '' }, stopping('old', 'RUNNING')], want: [], next: undefined,
    },
    {
      name: 'nor while an old task of the slot on that node is still desired running (start-first)',
      tasks: [waiting('new', NOW), { ...stopping('old', 'RUNNING'), desiredState: 'RUNNING' as const }], want: [], next: undefined,
    },
  ])('$name', ({ tasks, want, next }) => {
    const r = dueStarts(tasks, nodes, NOW);
    expect(summary(r.actions)).toEqual(want);
    expect(r.nextWakeAt).toBe(next);
  });

  it('a delayed restart is due its delay after the task ended', () => {
    const failed = makeTask({ id: 'f', service, nodeId: 'a', state: 'FAILED' });
    const created = superviseRestart(service, failed, [failed], NOW, seededRand(1)).find((a) => a.kind === 'create');
    if (created?.kind !== 'create') throw new Error('expected a create');
    expect(created.task.startAt).toBe(NOW + 5 * SEC);
    expect(dueStarts([created.task], nodes, NOW + 5 * SEC - 1).actions).toEqual([]);
    expect(summary(dueStarts([created.task], nodes, NOW + 5 * SEC).actions)).toEqual([`update ${created.task.id} RUNNING`]);
  });
});
