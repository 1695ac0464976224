// The control API's side of the routing mesh: publish modes, ingress ports picked from 30000-32767, port conflicts
// across services in either mode, and the endpoints and mesh listeners filled when read (never stored).
import { describe, expect, it } from 'vitest';
import {
  FakeClock, InvalidArgumentError, createLogger, seededRand, type Endpoint, type MeshListener, type Node, type PortConfig,
  type Service, type ServiceSpec,
} from '@shoal/api';
import {
  INGRESS_PORT_RANGE, checkPortConflicts, validateSpec, withDefaults, withPublishedPorts,
} from '../../../packages/manager/src/controlapi/service-spec.js';
import { serviceHandlers } from '../../../packages/manager/src/controlapi/services.js';
import { nodeHandlers } from '../../../packages/manager/src/controlapi/nodes.js';
import type { ControlComponents } from '../../../packages/manager/src/controlapi/components.js';
import { MemoryStore, type ReadTx } from '../../../packages/manager/src/store/index.js';
import { LocalProposer } from '../store/local-proposer.js';
import { makeNode, makeService } from '../scheduler/fixtures.js';

const ingress = (publishedPort: number, targetPort = 80, protocol = 'tcp'): PortConfig => ({ protocol, targetPort, publishedPort, publishMode: 'ingress' });
const host = (publishedPort: number, targetPort = 80, protocol = 'tcp'): PortConfig => ({ protocol, targetPort, publishedPort, publishMode: 'host' });
const svc = (id: string, ...ports: PortConfig[]) => makeService({ id, name: id, ports });
const published = (spec: ServiceSpec) => spec.endpoint.ports.map((p) => `${p.publishedPort}/${p.protocol} ${p.publishMode}`);

describe('publish modes', () => {
  it.each([
    ['ingress', ingress(8080)],
    ['host', host(8080)],
    ['host without a published port (the engine picks one per task)', host(0)],
  ])('accepts %s', (_what, port) => {
    expect(() => validateSpec(withDefaults({ ...svc('web').spec, endpoint: { ports: [port] } }))).not.toThrow();
  });

  it('refuses an unknown mode, naming both', () => {
    const spec = withDefaults({ ...svc('web').spec, endpoint: { ports: [{ ...ingress(8080), publishMode: 'vip' }] } });
    expect(() => validateSpec(spec)).toThrow(new InvalidArgumentError('invalid publish mode "vip": use ingress or host'));
  });

  it('refuses one published port twice in a spec, whatever the modes', () => {
    const spec = withDefaults({ ...svc('web').spec, endpoint: { ports: [ingress(8080, 80), host(8080, 81)] } });
    expect(() => validateSpec(spec)).toThrow('published port 8080/tcp is given twice');
  });
});

describe('ingress ports published as 0', () => {
  it.each<[string, PortConfig[], Service[], ServiceSpec | undefined, string[]]>([
    ['the lowest port of the range', [ingress(0)], [], undefined, ['30000/tcp ingress']],
    ['the lowest free one: another service holds 30000 (in host mode)', [ingress(0)], [svc('a', host(30000))], undefined, ['30001/tcp ingress']],
    ['a port per protocol: 30000/udp does not take 30000/tcp', [ingress(0)], [svc('a', ingress(30000, 53, 'udp'))], undefined, ['30000/tcp ingress']],
    ['one per port of the spec, skipping those it gives itself', [ingress(30000, 81), ingress(0, 80), ingress(0, 82)], [], undefined,
      ['30000/tcp ingress', '30001/tcp ingress', '30002/tcp ingress']],
    ['the port the current spec has for the same target and protocol (an update keeps it)', [ingress(0)], [], svc('web', ingress(30123)).spec, ['30123/tcp ingress']],
    ['not the current port of another target', [ingress(0, 81)], [], svc('web', ingress(30123, 80)).spec, ['30000/tcp ingress']],
    ['nothing for a host-mode port or a port given', [host(0), ingress(8080)], [svc('a', ingress(30000))], undefined, ['0/tcp host', '8080/tcp ingress']],
  ])('gets %s', (_what, ports, others, current, expected) => {
    const spec = { ...svc('web').spec, endpoint: { ports } };
    expect(published(withPublishedPorts(spec, others, current))).toEqual(expected);
  });

  it('does not change the spec given', () => {
    const spec = { ...svc('web').spec, endpoint: { ports: [ingress(0)] } };
    withPublishedPorts(spec, []);
    expect(spec.endpoint.ports[0]!.publishedPort).toBe(0);
  });

  it('is refused once the range is full', () => {
    const { from, to } = INGRESS_PORT_RANGE;
    const all = Array.from({ length: to - from + 1 }, (_, i) => ingress(from + i));
    expect(() => withPublishedPorts({ ...svc('web').spec, endpoint: { ports: [ingress(0)] } }, [svc('big', ...all)]))
      .toThrow(new InvalidArgumentError('no free port left in 30000-32767 to publish target port 80/tcp: give a published port'));
  });
});

describe('published port conflicts across services', () => {
  const tx = (...services: Service[]) => ({ all: () => services }) as unknown as ReadTx;
  it.each<[string, Service, PortConfig, string | undefined]>([
    ['ingress over ingress', svc('a', ingress(8080)), ingress(8080), 'published port 8080/tcp is already used by service a (ingress)'],
    ['ingress over host', svc('a', host(8080)), ingress(8080), 'published port 8080/tcp is already used by service a (host mode)'],
    ['host over ingress', svc('a', ingress(8080)), host(8080), 'published port 8080/tcp is already used by service a (ingress)'],
    ['host over host', svc('a', host(8080)), host(8080), 'published port 8080/tcp is already used by service a (host mode)'],
    ['the same port in another protocol', svc('a', ingress(8080, 80, 'udp')), ingress(8080), undefined],
    ['another port', svc('a', ingress(8081)), ingress(8080), undefined],
    ['host ports the engine picks (0)', svc('a', host(0)), host(0), undefined],
  ])('%s', (_what, other, port, refusal) => {
    const check = () => checkPortConflicts(tx(other), { ...svc('web').spec, endpoint: { ports: [port] } });
    if (refusal) expect(check).toThrow(new InvalidArgumentError(refusal));
    else expect(check).not.toThrow();
  });

  it('does not count the service being updated', () => {
    const self = svc('web', ingress(8080));
    expect(() => checkPortConflicts(tx(self), { ...self.spec, endpoint: { ports: [host(8080)] } }, 'web')).not.toThrow();
  });
});

/** Calls a unary handler as grpc-js would. */
function unaryCall<Res>(handler: unknown, request: object): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    (handler as (call: { request: object }, cb: (err: unknown, res?: Res) => void) => void)({ request }, (err, res) => (err ? reject(err) : resolve(res!)));
  });
}

describe('control API', () => {
  const endpoint: Endpoint = { serviceId: '', serviceName: 'web', protocol: 'tcp', publishedPort: 30000, targetPort: 80, backends: [{ taskId: 't1', nodeId: 'n1', addr: '10.0.0.1:32768' }] };
  const listener: MeshListener = { addr: '10.0.0.1:30000', protocol: 'tcp', serviceName: 'web', active: 2, total: 7, failures: 1, bytesIn: 300, bytesOut: 4000, error: '' };

  async function setup() {
    const store = new MemoryStore(new LocalProposer(), new FakeClock());
    const n1: Node = { ...makeNode({ id: 'n1', hostname: 'node-1' }), mesh: [] };
    await store.update((tx) => tx.create('nodes', n1));
    const c = {
      store, clock: new FakeClock(), rand: seededRand(3), logger: createLogger('test', 'silent'),
      membership: { isLeader: true, leaderInfo: () => ({ id: '', addr: '' }), members: () => [] },
      dispatcher: {
        endpointsOf: (id: string) => [{ ...endpoint, serviceId: id }],
        meshOf: (id: string) => (id === 'n1' ? [listener] : []),
      },
    } as unknown as ControlComponents;
    return { store, services: serviceHandlers(c), nodes: nodeHandlers(c) };
  }
  const specWith = (name: string, ...ports: PortConfig[]) => ({ ...svc(name).spec, endpoint: { ports } });

  it('picks ingress ports at create, keeps them at update, and refuses a port another service publishes', async () => {
    const { store, services } = await setup();
    const web = await unaryCall<Service>(services.CreateService, { spec: specWith('web', { ...ingress(0), publishMode: '' }) });
    expect(published(web.spec)).toEqual(['30000/tcp ingress']);
    const api = await unaryCall<Service>(services.CreateService, { spec: specWith('api', ingress(0)) });
    expect(published(api.spec)).toEqual(['30001/tcp ingress']);
    const updated = await unaryCall<Service>(services.UpdateService, { ref: 'web', version: store.get('services', web.id)!.meta.version, spec: { ...specWith('web', ingress(0)), replicas: 3 }, rollback: false });
    expect(published(updated.spec)).toEqual(['30000/tcp ingress']);
    await expect(unaryCall(services.CreateService, { spec: specWith('db', host(30001)) }))
      .rejects.toMatchObject({ details: 'published port 30001/tcp is already used by service api (ingress)' });
    await expect(unaryCall(services.UpdateService, { ref: 'api', version: store.get('services', api.id)!.meta.version, spec: specWith('api', ingress(30000)), rollback: false }))
      .rejects.toMatchObject({ details: 'published port 30000/tcp is already used by service web (ingress)' });
  });

  it('fills a service\'s endpoints and a node\'s mesh listeners when read (and in the answer to a create), and stores neither', async () => {
    const { store, services, nodes } = await setup();
    const created = await unaryCall<Service>(services.CreateService, { spec: specWith('web', ingress(0)) });
    expect(created.endpoints).toEqual([{ ...endpoint, serviceId: created.id }]);
    expect((await unaryCall<Service>(services.GetService, { ref: 'web' })).endpoints).toEqual([{ ...endpoint, serviceId: created.id }]);
    expect((await unaryCall<{ services: Service[] }>(services.ListServices, {})).services.map((s) => s.endpoints)).toEqual([[{ ...endpoint, serviceId: created.id }]]);
    expect(store.get('services', created.id)!.endpoints).toEqual([]);

    expect((await unaryCall<Node>(nodes.GetNode, { ref: 'node-1' })).mesh).toEqual([listener]);
    expect((await unaryCall<{ nodes: Node[] }>(nodes.ListNodes, {})).nodes.map((n) => n.mesh)).toEqual([[listener]]);
    expect(store.get('nodes', 'n1')!.mesh).toEqual([]);
  });
});
