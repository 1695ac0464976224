import { describe, expect, it } from 'vitest';
import { enforceNodePlacement } from '../../../packages/manager/src/orchestrator/index.js';
import { makeNode, makeService, makeTask } from '../scheduler/fixtures.js';
import type { NodeOpts } from '../scheduler/fixtures.js';
import { summary } from './summary.js';

const east = makeService({ id: 'east', constraints: ['node.labels.zone==east'] });
const free = makeService({ id: 'free' });
const tasksOn = (nodeId: string) => [
  makeTask({ id: 'e', service: east, nodeId, state: 'RUNNING' }),
  makeTask({ id: 'f', service: free, nodeId, state: 'RUNNING' }),
  makeTask({ id: 'done', service: free, slot: 2, nodeId, state: 'COMPLETE' }),
  makeTask({ id: 'stopping', service: free, slot: 3, nodeId, state: 'RUNNING', desired: 'SHUTDOWN' }),
];

describe('enforceNodePlacement', () => {
  it.each([
    { name: 'an active node that fits keeps everything', node: { labels: { zone: 'east' } }, want: [] as string[] },
    { name: 'a drained node sheds its live tasks', node: { availability: 'drain', labels: { zone: 'east' } }, want: ['update e SHUTDOWN', 'update f SHUTDOWN'] },
    { name: 'a paused node keeps its tasks', node: { availability: 'pause', labels: { zone: 'east' } }, want: [] },
    { name: 'a node whose label changed sheds the constrained task', node: { labels: { zone: 'west' } }, want: ['update e SHUTDOWN'] },
  ] as Array<{ name: string; node: Partial<NodeOpts>; want: string[] }>)('$name', ({ node, want }) => {
    const tasks = tasksOn('a');
    const before = structuredClone(tasks);
    expect(summary(enforceNodePlacement(makeNode({ id: 'a', ...node }), tasks))).toEqual(want);
    expect(tasks).toEqual(before);
  });
});
