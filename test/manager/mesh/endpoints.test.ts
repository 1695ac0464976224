// The routing mesh's endpoints as pure functions, over tables: which tasks are backends of which ingress port (the
// table kept from them, and its changes: table.test.ts).
import { describe, expect, it } from 'vitest';
import type { Endpoint, Node, PortConfig, Service, Task, TaskState } from '@shoal/api';
import { backendAddr, ingressPorts, joinHostPort, serviceEndpoints } from '../../../packages/manager/src/mesh/endpoints.js';
import { makeNode, makeService, makeTask } from '../scheduler/fixtures.js';

const ingress = (publishedPort: number, targetPort = 80, protocol = 'tcp'): PortConfig => ({ protocol, targetPort, publishedPort, publishMode: 'ingress' });
const host = (publishedPort: number, targetPort = 80, protocol = 'tcp'): PortConfig => ({ protocol, targetPort, publishedPort, publishMode: 'host' });

/** A task of `service` on `nodeId`, reporting the given ports as bound (default: 80/tcp ingress on host port 30001). */
function task(id: string, service: Service, o: { nodeId?: string; state?: TaskState; desired?: TaskState; ports?: PortConfig[]; health?: string } = {}): Task {
  const t = makeTask({ id, service, nodeId: o.nodeId ?? 'n1', state: o.state ?? 'RUNNING', desired: o.desired ?? 'RUNNING' });
  return { ...t, status: { ...t.status, ports: o.ports ?? [{ protocol: 'tcp', targetPort: 80, publishedPort: 30001, publishMode: 'ingress' }], health: o.health ?? '' } };
}

function node(id: string, addr: string, state = 'ready'): Node {
  const n = makeNode({ id, state });
  return { ...n, status: { ...n.status, addr } };
}

const nodes = new Map([['n1', node('n1', '10.0.0.1')], ['n2', node('n2', '10.0.0.2')], ['down', node('down', '10.0.0.3', 'down')]]);
const nodeOf = (id: string) => nodes.get(id);
const web = makeService({ id: 'web', ports: [ingress(8080)] });

/** The backend addresses of a service's endpoints, one list per endpoint. */
const backends = (endpoints: Endpoint[]) => endpoints.map((e) => e.backends.map((b) => `${b.taskId}@${b.addr}`));

describe('endpoint backends', () => {
  const none = new Set<string>();
  it.each<[string, Task, ReadonlySet<string>, string[][]]>([
    ['a running task on a ready node', task('t1', web), none, [['t1@10.0.0.1:30001']]],
    ['a running healthy task (its check passed)', task('t1', web, { health: 'healthy' }), none, [['t1@10.0.0.1:30001']]],
    ['a running task reported unhealthy (before it is failed)', task('t1', web, { health: 'unhealthy' }), none, [[]]],
    ['a task still starting (its check has not passed yet)', task('t1', web, { state: 'STARTING', health: 'starting' }), none, [[]]],
    ['a task preparing', task('t1', web, { state: 'PREPARING' }), none, [[]]],
    ['a task that failed', task('t1', web, { state: 'FAILED' }), none, [[]]],
    ['a running task whose desired state is SHUTDOWN (being stopped)', task('t1', web, { desired: 'SHUTDOWN' }), none, [[]]],
    ['a running task desired REMOVE', task('t1', web, { desired: 'REMOVE' }), none, [[]]],
    ['a running task on a down node', task('t1', web, { nodeId: 'down' }), none, [[]]],
    ['a running task on an unreachable node', task('t1', web), new Set(['n1']), [[]]],
    ['a running task on an unknown node', task('t1', web, { nodeId: 'gone' }), none, [[]]],
    ['a running task that reports no binding yet', task('t1', web, { ports: [] }), none, [[]]],
    ['a running task whose binding is not bound (port 0)', task('t1', web, { ports: [{ protocol: 'tcp', targetPort: 80, publishedPort: 0, publishMode: 'ingress' }] }), none, [[]]],
    ['a running task that binds another target (an older spec)', task('t1', web, { ports: [{ protocol: 'tcp', targetPort: 81, publishedPort: 30001, publishMode: 'ingress' }] }), none, [[]]],
    ['a running task that binds the target in host mode', task('t1', web, { ports: [{ protocol: 'tcp', targetPort: 80, publishedPort: 30001, publishMode: 'host' }] }), none, [[]]],
  ])('%s', (_what, t, unreachable, expected) => {
    expect(backends(serviceEndpoints(web, [t], nodeOf, unreachable))).toEqual(expected);
  });

  it('keeps one endpoint per ingress port, ordered, each with its own backend address; udp apart from tcp; host-mode ports excluded', () => {
    const svc = makeService({ id: 'dns', name: 'dns', ports: [ingress(5353, 53, 'udp'), host(9000, 9000), ingress(5353, 53, 'tcp'), ingress(80, 8080)] });
    const bound: PortConfig[] = [
      { protocol: 'udp', targetPort: 53, publishedPort: 31000, publishMode: 'ingress' },
      { protocol: 'tcp', targetPort: 9000, publishedPort: 9000, publishMode: 'host' },
      { protocol: 'tcp', targetPort: 53, publishedPort: 31001, publishMode: 'ingress' },
      { protocol: 'tcp', targetPort: 8080, publishedPort: 31002, publishMode: 'ingress' },
    ];
    const endpoints = serviceEndpoints(svc, [task('t2', svc, { nodeId: 'n2', ports: bound }), task('t1', svc, { ports: bound })], nodeOf, new Set());
    expect(endpoints.map((e) => `${e.serviceName} ${e.publishedPort}/${e.protocol}->${e.targetPort}`)).toEqual(['dns 80/tcp->8080', 'dns 5353/tcp->53', 'dns 5353/udp->53']);
    expect(backends(endpoints)).toEqual([
      ['t1@10.0.0.1:31002', 't2@10.0.0.2:31002'],
      ['t1@10.0.0.1:31001', 't2@10.0.0.2:31001'],
      ['t1@10.0.0.1:31000', 't2@10.0.0.2:31000'],
    ]);
  });

  it('has no endpoints for a service without ingress ports, and endpoints without backends for one with no serving task', () => {
    expect(serviceEndpoints(makeService({ id: 'h', ports: [host(8080)] }), [], nodeOf, new Set())).toEqual([]);
    expect(ingressPorts(makeService({ ports: [host(8080), ingress(8081)] }))).toEqual([ingress(8081)]);
    expect(serviceEndpoints(web, [], nodeOf, new Set())).toEqual([{ serviceId: 'web', serviceName: 'web', protocol: 'tcp', publishedPort: 8080, targetPort: 80, backends: [] }]);
  });

  it('ignores tasks of other services', () => {
    const other = makeService({ id: 'other', ports: [ingress(8080)] });
    expect(backends(serviceEndpoints(web, [task('t1', other)], nodeOf, new Set()))).toEqual([[]]);
  });

  it('writes an IPv6 node address in brackets', () => {
    expect(joinHostPort('fd00::1', 30001)).toBe('[fd00::1]:30001');
    expect(joinHostPort('10.0.0.1', 30001)).toBe('10.0.0.1:30001');
    expect(backendAddr(task('t1', web), ingress(8080), node('n6', 'fd00::6'))).toBe('[fd00::6]:30001');
  });
});
