import { describe, expect, it } from 'vitest';
import { NodeInfo, Pipeline, defaultFilters, taskDemand } from '../../../packages/manager/src/scheduler/index.js';
import { GiB, hostPort, makeNode, makeService, makeTask } from './fixtures.js';

describe('filters', () => {
  const byName = (name: string) => {
    const f = defaultFilters().find((x) => x.name === name);
    if (!f) throw new Error(`no filter ${name}`);
    return f;
  };
  const plain = makeTask({ id: 't' });

  it.each([
    { filter: 'ready', task: plain, applies: true, one: '1 node not ready', two: '2 nodes not ready' },
    { filter: 'availability', task: plain, applies: true, one: '1 node not available for new tasks', two: '2 nodes not available for new tasks' },
    { filter: 'constraints', task: plain, applies: false, one: 'scheduling constraints not satisfied on 1 node', two: 'scheduling constraints not satisfied on 2 nodes' },
    { filter: 'resources', task: plain, applies: false, one: 'insufficient memory on 1 node', two: 'insufficient memory on 2 nodes' },
    { filter: 'host-ports', task: plain, applies: false, one: 'host-mode port already in use on 1 node', two: 'host-mode port already in use on 2 nodes' },
  ])('$filter: applies to a plain task = $applies; explains "$one"', ({ filter, task, applies, one, two }) => {
    const f = byName(filter);
    expect(f.setTask(task)).toBe(applies);
    expect(f.explain(1)).toBe(one);
    expect(f.explain(2)).toBe(two);
  });

  it.each([
    { name: 'memory short', node: { memoryBytes: GiB }, want: 'insufficient memory on 1 node' },
    { name: 'cpu short', node: { nanoCpus: 1 }, want: 'insufficient cpu on 1 node' },
    { name: 'both short', node: { nanoCpus: 1, memoryBytes: GiB }, want: 'insufficient resources on 1 node' },
  ])('resources: $name', ({ node, want }) => {
    const f = byName('resources');
    f.setTask(makeTask({ id: 't', service: makeService({ nanoCpus: 2, memoryBytes: 2 * GiB }) }));
    expect(f.check(new NodeInfo(makeNode({ id: 'a', ...node })))).toBe(false);
    expect(f.explain(1)).toBe(want);
  });

  it('host ports: only the same protocol and port collide, and a freed port is free again', () => {
    const f = byName('host-ports');
    const info = new NodeInfo(makeNode({ id: 'a' }));
    const holder = makeTask({ id: 'h', service: makeService({ id: 'x', ports: [hostPort(53, 'udp')] }) });
    info.add(taskDemand(holder));
    expect(f.setTask(makeTask({ id: 't', service: makeService({ ports: [hostPort(53, 'tcp')] }) }))).toBe(true);
    expect(f.check(info)).toBe(true);
    f.setTask(makeTask({ id: 't', service: makeService({ ports: [hostPort(53, 'udp')] }) }));
    expect(f.check(info)).toBe(false);
    info.remove(taskDemand(holder));
    expect(f.check(info)).toBe(true);
  });
});

describe('Pipeline', () => {
  it('charges each node to the first filter that rejects it and lists the most failures first', () => {
    const p = new Pipeline();
    p.setTask(makeTask({ id: 't', service: makeService({ constraints: ['node.labels.zone==east'] }) }));
    const nodes = [
      makeNode({ id: 'a', state: 'down', availability: 'drain' }),
      makeNode({ id: 'b', availability: 'drain' }),
      makeNode({ id: 'c', availability: 'pause' }),
      makeNode({ id: 'd', labels: { zone: 'east' } }),
    ];
    expect(nodes.map((n) => p.process(new NodeInfo(n)))).toEqual([false, false, false, true]);
    expect(p.explain()).toBe('no suitable node (2 nodes not available for new tasks; 1 node not ready)');
    p.setTask(makeTask({ id: 't2' }));
    expect(p.explain()).toBe('no suitable node');
  });
});
