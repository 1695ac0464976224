// The routing mesh through a whole manager over real gRPC on loopback (fake clock): a service published with
// -p 80 gets an ingress port, its running tasks become backends in every agent's table and in service inspect, a
// node's listener stats show in node inspect, and a scale-down takes the task out of the table before its agent
// is told to stop it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FakeClock, call, controlClient, createLogger, type EndpointTable, type ManagerMessage, type MeshListener, type Node, type Service,
} from '@shoal/api';
import { startManager, type Manager } from '@shoal/manager';
import { RouteTable } from '../../../packages/agent/src/mesh/balancer.js';
import { openAgentSession, type AgentSession } from './agent-session.js';

describe('the routing mesh through the manager', () => {
  let dir: string;
  let manager: Manager;
  let clock: FakeClock;
  const sessions: AgentSession[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shoal-mesh-'));
    clock = new FakeClock(Date.now());
    manager = await startManager({ listen: '127.0.0.1:0', dataDir: dir, heartbeatPeriodMs: 1000, clock, logger: createLogger('test', 'silent') });
  });
  afterEach(async () => {
    for (const s of sessions.splice(0)) s.end();
    await manager.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function control<Res>(method: string, req: object): Promise<Res> {
    const c = controlClient(manager.info.addr);
    try {
      return await call<object, Res>((c as unknown as Record<string, (...a: unknown[]) => unknown>)[method]!.bind(c) as never, req);
    } finally { c.close(); }
  }

  const description = (hostname: string) => ({ hostname, platform: { os: 'linux', architecture: 'x86_64' }, resources: { nanoCpus: 2e9, memoryBytes: 1 << 30 }, engineLabels: {}, engineVersion: '20.10' });

  /** A registered agent, and every message it got, in order. */
  async function agent(hostname: string, addr: string): Promise<{ s: AgentSession; nodeId: string; got: ManagerMessage[] }> {
    const s = openAgentSession(manager.info.addr);
    sessions.push(s);
    const { token } = await control<{ token: string }>('GetJoinToken', { role: 'worker' });
    s.send({ register: { token, addr, description: description(hostname), engineReady: true } });
    const got: ManagerMessage[] = [];
    for (let i = 0; i < 4; i++) got.push(await s.next());
    return { s, nodeId: got[0]!.registered!.nodeId, got };
  }

  /** Moves time on a little (the loops' timers) while both agents beat, until `until` holds. */
  async function pump<T>(agents: Array<{ s: AgentSession; got: ManagerMessage[] }>, until: () => Promise<T | undefined> | T | undefined): Promise<T> {
    for (let i = 0; i < 200; i++) {
      clock.advance(20);
      for (const a of agents) a.s.send({ heartbeat: { engineReady: true } });
      await new Promise((r) => setTimeout(r, 5));
      for (const a of agents) a.got.push(...a.s.inbox.splice(0));
      const v = await until();
      if (v !== undefined) return v;
    }
    throw new Error('condition not reached');
  }

  /** What an agent's mesh forwards port 30000 to after the endpoint messages it got (the first `upto` messages). */
  const backendsOf = (got: ManagerMessage[], upto = got.length) => {
    const routes = new RouteTable();
    for (const m of got.slice(0, upto)) if (m.endpoints) routes.apply(m.endpoints);
    return routes.get('tcp/30000')?.backends.map((b) => `${b.host}:${b.port}`).sort() ?? [];
  };

  it('publishes an ingress port, sends its running tasks to every agent, shows them in service and node inspect, and drains a task before stopping it', async () => {
    const a = await agent('node-a', '127.0.0.2');
    const b = await agent('node-b', '127.0.0.3');
    expect(a.got.map((m) => m.msg)).toEqual(['registered', 'managers', 'assignments', 'endpoints']);
    expect(a.got[3]!.endpoints).toEqual({ full: true, endpoints: [], removedServices: [], backendChanges: [] });

    const created = await control<Service>('CreateService', {
      spec: { annotations: { name: 'web' }, replicas: 2, task: { container: { image: 'nginx' } }, endpoint: { ports: [{ targetPort: 80 }] } },
    });
    expect(created.spec.endpoint.ports).toEqual([{ protocol: 'tcp', targetPort: 80, publishedPort: 30000, publishMode: 'ingress' }]);

    // Each node gets one task (spread); the agents report them running with the host port the engine chose.
    const taskOf = (x: typeof a) => x.got.flatMap((m) => m.assignments?.tasks ?? []).find((t) => t.desiredState === 'RUNNING')?.id;
    await pump([a, b], () => (taskOf(a) && taskOf(b) ? true : undefined));
    for (const [x, port] of [[a, 32768], [b, 32769]] as const) {
      x.s.send({ status: { updates: [{ taskId: taskOf(x)!, status: { state: 'RUNNING', message: 'started', ports: [{ protocol: 'tcp', targetPort: 80, publishedPort: port, publishMode: 'ingress' }] } }] } });
    }
    const both = ['127.0.0.2:32768', '127.0.0.3:32769'];
    await pump([a, b], () => (JSON.stringify(backendsOf(a.got)) === JSON.stringify(both) && JSON.stringify(backendsOf(b.got)) === JSON.stringify(both) ? true : undefined));
    const inspected = await control<Service>('GetService', { ref: 'web' });
    expect(inspected.endpoints.map((e) => [e.serviceName, e.publishedPort, e.targetPort, e.backends.map((x) => x.addr).sort()])).toEqual([['web', 30000, 80, both]]);

    const stats: MeshListener = { addr: '127.0.0.2:30000', protocol: 'tcp', serviceName: 'web', active: 1, total: 5, failures: 0, bytesIn: 120, bytesOut: 3000, error: '' };
    a.s.send({ heartbeat: { engineReady: true, mesh: [stats] } });
    await new Promise((r) => setTimeout(r, 20));
    expect((await control<Node>('GetNode', { ref: 'node-a' })).mesh).toEqual([stats]);
    expect((await control<Node>('GetNode', { ref: 'node-b' })).mesh).toEqual([]);

    // Scale to 1: the task that goes leaves every table no later than its agent hears to stop it.
    const current = await control<Service>('GetService', { ref: 'web' });
    const from = { a: a.got.length, b: b.got.length };
    await control<Service>('UpdateService', { ref: 'web', version: current.meta.version, spec: { ...current.spec, replicas: 1 } });
    const stopped = await pump([a, b], () => {
      for (const [x, n] of [[a, from.a], [b, from.b]] as const) {
        const i = x.got.findIndex((m, j) => j >= n && m.assignments?.tasks.some((t) => t.desiredState !== 'RUNNING'));
        if (i >= 0) return { x, n, i };
      }
      return undefined;
    });
    const tableChange = stopped.x.got.findIndex((m, j) => j >= stopped.n && m.endpoints && backendsOf(stopped.x.got, j + 1).length === 1);
    expect(tableChange).toBeGreaterThanOrEqual(0);
    expect(tableChange).toBeLessThan(stopped.i);
  });
});
