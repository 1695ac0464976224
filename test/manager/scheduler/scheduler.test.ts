import { describe, expect, it } from 'vitest';
import type { Node, Task } from '@shoal/api';
import { NodeSet, scheduleTasks } from '../../../packages/manager/src/scheduler/index.js';
import { GiB, CPU, hostPort, makeNode, makeService, makeTask } from './fixtures.js';
import type { ServiceOpts } from './fixtures.js';

const svc = (o: ServiceOpts = {}) => makeService(o);

function newTasks(n: number, o: ServiceOpts = {}, prefix = 't'): Task[] {
  const service = svc(o);
  return Array.from({ length: n }, (_, i) => makeTask({ id: `${prefix}${i + 1}`, service, slot: i + 1 }));
}

/** Tasks per node id after scheduling. */
function counts(assigned: ReadonlyArray<{ nodeId: string }>): Record<string, number> {
  const c: Record<string, number> = {};
  for (const a of assigned) c[a.nodeId] = (c[a.nodeId] ?? 0) + 1;
  return c;
}

const three = () => [makeNode({ id: 'a' }), makeNode({ id: 'b' }), makeNode({ id: 'c' })];

describe('scheduleTasks: spreading', () => {
  it.each([
    { name: '6 replicas over 3 nodes', nodes: three(), existing: [] as Task[], n: 6, want: { a: 2, b: 2, c: 2 } },
    { name: '7 replicas: the extra one goes to the lowest node id', nodes: three(), existing: [], n: 7, want: { a: 3, b: 2, c: 2 } },
    {
      name: 'a node already running tasks of the service gets fewer',
      nodes: three(),
      existing: [
        makeTask({ id: 'old1', nodeId: 'a', state: 'RUNNING' }),
        makeTask({ id: 'old2', nodeId: 'a', state: 'RUNNING', slot: 2 }),
      ],
      n: 4, want: { b: 2, c: 2 },
    },
    {
      name: 'tasks of other services break ties',
      nodes: three(),
      existing: [makeTask({ id: 'other', service: svc({ id: 'other' }), nodeId: 'a', state: 'RUNNING' })],
      n: 2, want: { b: 1, c: 1 },
    },
    {
      name: 'tasks being shut down do not count for the spread',
      nodes: three(),
      existing: [makeTask({ id: 'old', nodeId: 'a', state: 'RUNNING', desired: 'SHUTDOWN' })],
      n: 3, want: { a: 1, b: 1, c: 1 },
    },
    {
      name: 'ended tasks do not count',
      nodes: three(),
      existing: [makeTask({ id: 'old', nodeId: 'a', state: 'FAILED' })],
      n: 3, want: { a: 1, b: 1, c: 1 },
    },
  ])('$name', ({ nodes, existing, n, want }) => {
    const r = scheduleTasks(NodeSet.from(nodes, existing), newTasks(n));
    expect(r.pending).toEqual([]);
    expect(counts(r.assigned)).toEqual(want);
  });

  it('successive calls see earlier placements', () => {
    const set = NodeSet.from(three(), []);
    const first = scheduleTasks(set, newTasks(2, {}, 'x'));
    const second = scheduleTasks(set, newTasks(4, {}, 'y'));
    expect(counts([...first.assigned, ...second.assigned])).toEqual({ a: 2, b: 2, c: 2 });
  });

  it('keeps its view incrementally with addTask and removeTask', () => {
    const set = NodeSet.from(three(), []);
    const running = makeTask({ id: 'r', nodeId: 'a', state: 'RUNNING' });
    set.addTask(running);
    set.addTask(running); // an update of the same task does not count twice
    expect(set.get('a')?.activeTasksOf('svc1')).toBe(1);
    set.addTask({ ...running, status: { ...running.status, state: 'FAILED' } });
    expect(set.get('a')?.activeTasksOf('svc1')).toBe(0);
    set.addTask(running);
    set.removeTask(running.id);
    expect(set.get('a')?.taskCount).toBe(0);
  });

  it('skips tasks that are already assigned or not meant to run', () => {
    const r = scheduleTasks(NodeSet.from(three(), []), [
      makeTask({ id: 'assigned', nodeId: 'a', state: 'ASSIGNED' }),
      makeTask({ id: 'shut', desired: 'SHUTDOWN' }),
      makeTask({ id: 'delayed', desired: 'READY' }),
    ]);
    expect(r).toEqual({ assigned: [{ taskId: 'delayed', nodeId: 'a' }], pending: [] });
  });
});

describe('scheduleTasks: constraints', () => {
  const nodes = [
    makeNode({ id: 'a', hostname: 'alpha', role: 'manager', labels: { zone: 'east' }, engineLabels: { gpu: 'true' } }),
    makeNode({ id: 'b', hostname: 'beta', labels: { zone: 'west' } }),
    makeNode({ id: 'c', hostname: 'gamma', labels: { zone: 'East' }, arch: 'aarch64' }),
  ];
  it.each([
    { constraints: ['node.labels.zone==east'], want: ['a', 'c'] },
    { constraints: ['node.labels.zone!=east'], want: ['b'] },
    { constraints: ['node.labels.missing!=x'], want: ['a', 'b', 'c'] },
    { constraints: ['node.role==manager'], want: ['a'] },
    { constraints: ['node.role!=manager'], want: ['b', 'c'] },
    { constraints: ['node.hostname==beta'], want: ['b'] },
    { constraints: ['node.hostname!=beta', 'node.labels.zone==east'], want: ['a', 'c'] },
    { constraints: ['engine.labels.gpu==true'], want: ['a'] },
    { constraints: ['node.id==c'], want: ['c'] },
    { constraints: ['node.platform.arch==aarch64'], want: ['c'] },
    { constraints: ['node.platform.os==linux'], want: ['a', 'b', 'c'] },
  ])('$constraints -> $want', ({ constraints, want }) => {
    const r = scheduleTasks(NodeSet.from(nodes, []), newTasks(6, { constraints }));
    expect(r.pending).toEqual([]);
    expect(Object.keys(counts(r.assigned)).sort()).toEqual(want);
  });

  it.each([
    { constraints: ['node.labels.zone==north'], reason: 'no suitable node (scheduling constraints not satisfied on 3 nodes)' },
    { constraints: ['no operator'], reason: 'no suitable node (scheduling constraints not satisfied on 3 nodes)' },
  ])('$constraints leaves the task pending', ({ constraints, reason }) => {
    const r = scheduleTasks(NodeSet.from(nodes, []), newTasks(1, { constraints }));
    expect(r).toEqual({ assigned: [], pending: [{ taskId: 't1', reason }] });
  });
});

describe('scheduleTasks: resources and ports', () => {
  it.each([
    { name: 'memory', o: { memoryBytes: 3 * GiB }, nodeMem: 4 * GiB, n: 5, placed: 3, reason: 'no suitable node (insufficient memory on 3 nodes)' },
    { name: 'cpu', o: { nanoCpus: 3 * CPU }, nodeMem: 8 * GiB, n: 4, placed: 3, reason: 'no suitable node (insufficient cpu on 3 nodes)' },
    { name: 'both fit twice', o: { nanoCpus: 2 * CPU, memoryBytes: 4 * GiB }, nodeMem: 8 * GiB, n: 6, placed: 6, reason: '' },
  ])('reservations never exceed a node: $name', ({ o, nodeMem, n, placed, reason }) => {
    const nodes = ['a', 'b', 'c'].map((id) => makeNode({ id, nanoCpus: 4 * CPU, memoryBytes: nodeMem }));
    const set = NodeSet.from(nodes, []);
    const r = scheduleTasks(set, newTasks(n, o));
    expect(r.assigned).toHaveLength(placed);
    expect(r.pending.map((p) => p.reason)).toEqual(Array(n - placed).fill(reason));
    for (const info of set.values()) {
      expect(info.freeMemoryBytes).toBeGreaterThanOrEqual(0);
      expect(info.freeNanoCpus).toBeGreaterThanOrEqual(0);
    }
  });

  it('existing reservations are taken into account', () => {
    const nodes = [makeNode({ id: 'a', memoryBytes: 4 * GiB }), makeNode({ id: 'b', memoryBytes: 4 * GiB })];
    const big = svc({ id: 'big', memoryBytes: 3 * GiB });
    const existing = [makeTask({ id: 'e', service: big, nodeId: 'a', state: 'RUNNING' })];
    const r = scheduleTasks(NodeSet.from(nodes, existing), newTasks(2, { memoryBytes: 2 * GiB }));
    expect(counts(r.assigned)).toEqual({ b: 2 });
  });

  it('host-mode ports never collide on a node', () => {
    const nodes = three();
    const existing = [makeTask({ id: 'e', service: svc({ id: 'web0', ports: [hostPort(8080)] }), nodeId: 'a', state: 'RUNNING' })];
    const r = scheduleTasks(NodeSet.from(nodes, existing), [
      ...newTasks(3, { id: 'web', ports: [hostPort(8080)] }),
      ...newTasks(2, { id: 'dns', ports: [hostPort(8080, 'udp')] }, 'u'),
    ]);
    expect(r.assigned.filter((a) => a.taskId.startsWith('t')).map((a) => a.nodeId).sort()).toEqual(['b', 'c']);
    expect(r.assigned.filter((a) => a.taskId.startsWith('u'))).toHaveLength(2);
    expect(r.pending).toEqual([{ taskId: 't3', reason: 'no suitable node (host-mode port already in use on 3 nodes)' }]);
  });
});

describe('scheduleTasks: node state', () => {
  it.each([
    { name: 'drained', node: { availability: 'drain' } },
    { name: 'paused', node: { availability: 'pause' } },
    { name: 'down', node: { state: 'down' } },
    { name: 'unknown', node: { state: 'unknown' } },
    { name: 'without an agent', node: { agent: false } },
  ])('a $name node gets nothing', ({ node }) => {
    const r = scheduleTasks(NodeSet.from([makeNode({ id: 'a', ...node }), makeNode({ id: 'b' })], []), newTasks(3));
    expect(counts(r.assigned)).toEqual({ b: 3 });
  });

  it.each([
    {
      // A manager without an agent is no candidate at all, so it is not counted among the reasons either.
      nodes: [makeNode({ id: 'a', state: 'down' }), makeNode({ id: 'b', agent: false }), makeNode({ id: 'c', availability: 'drain' })],
      reason: 'no suitable node (1 node not ready; 1 node not available for new tasks)',
    },
    {
      nodes: [makeNode({ id: 'a', availability: 'pause' }), makeNode({ id: 'b', memoryBytes: GiB }), makeNode({ id: 'c', memoryBytes: GiB })],
      reason: 'no suitable node (insufficient memory on 2 nodes; 1 node not available for new tasks)',
    },
    { nodes: [] as Node[], reason: 'no suitable node' },
  ])('explains why nothing fits: $reason', ({ nodes, reason }) => {
    const r = scheduleTasks(NodeSet.from(nodes, []), newTasks(2, { memoryBytes: 2 * GiB }));
    expect(r).toEqual({ assigned: [], pending: [{ taskId: 't1', reason }, { taskId: 't2', reason }] });
  });
});

describe('scheduleTasks: tasks with a preset node (global services)', () => {
  it.each([
    { name: 'fits', node: makeNode({ id: 'a' }), want: { assigned: [{ taskId: 'g', nodeId: 'a' }], pending: [] } },
    { name: 'too small', node: makeNode({ id: 'a', memoryBytes: GiB }), want: { assigned: [], pending: [{ taskId: 'g', reason: 'no suitable node (insufficient memory on 1 node)' }] } },
    { name: 'unknown node', node: makeNode({ id: 'z' }), want: { assigned: [], pending: [{ taskId: 'g', reason: 'node a is not in the cluster' }] } },
  ])('$name', ({ node, want }) => {
    const service = svc({ mode: 'global', memoryBytes: 2 * GiB });
    const r = scheduleTasks(NodeSet.from([node, makeNode({ id: 'b' })], []), [makeTask({ id: 'g', service, slot: 0, nodeId: 'a' })]);
    expect(r).toEqual(want);
  });
});

describe('scheduleTasks: determinism', () => {
  it('gives the same placements whatever the order of the nodes', () => {
    const nodes = Array.from({ length: 20 }, (_, i) => makeNode({ id: `n${String(i).padStart(2, '0')}`, memoryBytes: (i % 4 + 1) * GiB }));
    const tasks = [...newTasks(30, { id: 's1', memoryBytes: GiB / 2 }), ...newTasks(17, { id: 's2', memoryBytes: GiB }, 'u')];
    const once = scheduleTasks(NodeSet.from(nodes, []), tasks);
    const again = scheduleTasks(NodeSet.from([...nodes].reverse(), []), tasks);
    expect(again).toEqual(once);
  });
});
