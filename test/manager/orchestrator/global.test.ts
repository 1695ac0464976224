import { describe, expect, it } from 'vitest';
import { seededRand } from '@shoal/api';
import type { Node, Task } from '@shoal/api';
import { reconcileGlobal } from '../../../packages/manager/src/orchestrator/index.js';
import { makeNode, makeService, makeTask } from '../scheduler/fixtures.js';
import type { NodeOpts, TaskOpts } from '../scheduler/fixtures.js';
import { summary } from './summary.js';

const NOW = 1_700_000_000_000;
const global = (constraints: string[] = []) => makeService({ id: 'g', mode: 'global', constraints });
const onNode = (id: string, nodeId: string, o: Partial<TaskOpts> = {}) =>
  makeTask({ id, service: global(), slot: 0, nodeId, state: 'RUNNING', ...o });
const node = (id: string, o: Partial<NodeOpts> = {}): Node => makeNode({ id, labels: { zone: 'east' }, ...o });

describe('reconcileGlobal', () => {
  it.each([
    { name: 'one task per eligible node', nodes: [node('a'), node('b')], tasks: [] as Task[], want: ['create slot 0 on a RUNNING', 'create slot 0 on b RUNNING'] },
    { name: 'a node that has its task needs nothing', nodes: [node('a')], tasks: [onNode('t', 'a')], want: [] },
    {
      name: 'nodes that cannot take new tasks get none',
      nodes: [node('p', { availability: 'pause' }), node('d', { state: 'down' }), node('x', { agent: false }), node('u', { state: 'unknown' }), node('ok')],
      tasks: [], want: ['create slot 0 on ok RUNNING'],
    },
    { name: 'a down node keeps its task', nodes: [node('a', { state: 'down' })], tasks: [onNode('t', 'a')], want: [] },
    { name: 'a paused node keeps its task', nodes: [node('a', { availability: 'pause' })], tasks: [onNode('t', 'a')], want: [] },
    { name: 'a drained node loses its task', nodes: [node('a', { availability: 'drain' })], tasks: [onNode('t', 'a')], want: ['update t SHUTDOWN'] },
    { name: 'a removed node loses its task', nodes: [node('b')], tasks: [onNode('t', 'a'), onNode('u', 'b')], want: ['update t SHUTDOWN'] },
    {
      name: 'constraints choose the nodes',
      constraints: ['node.labels.zone==east'],
      nodes: [node('a'), node('b', { labels: { zone: 'west' } })], tasks: [], want: ['create slot 0 on a RUNNING'],
    },
    {
      name: 'a node that no longer satisfies the constraints loses its task',
      constraints: ['node.labels.zone==east'],
      nodes: [node('a', { labels: {} })], tasks: [onNode('t', 'a')], want: ['update t SHUTDOWN'],
    },
    {
      name: 'a node with only history gets a new task',
      nodes: [node('a')], tasks: [onNode('old', 'a', { state: 'SHUTDOWN', desired: 'SHUTDOWN' })], want: ['create slot 0 on a RUNNING'],
    },
    {
      name: 'two tasks on one node: the running one stays',
      nodes: [node('a')], tasks: [onNode('t1', 'a', { createdAt: 2, state: 'ASSIGNED' }), onNode('t2', 'a', { createdAt: 1 })], want: ['update t1 SHUTDOWN'],
    },
  ])('$name', ({ nodes, tasks, want, constraints }) => {
    const before = structuredClone(tasks);
    expect(summary(reconcileGlobal(global(constraints), tasks, nodes, NOW, seededRand(1)))).toEqual(want);
    expect(tasks).toEqual(before);
  });
});
