// How the CLI shows the routing mesh: task ports in `service ps`, a service's endpoints and a node's mesh listeners
// in `inspect --pretty` (and as they are in the JSON form).
import { describe, expect, it } from 'vitest';
import type { PortConfig } from '@shoal/api';
import { printList } from '../../packages/cli/src/format/table.js';
import { taskColumns, taskJsonFields, taskRows } from '../../packages/cli/src/format/tasks.js';
import { prettyNode, prettyService } from '../../packages/cli/src/format/inspect.js';
import { formatTaskPorts } from '../../packages/cli/src/format/ports.js';
import { parseMeshListen } from '../../packages/cli/src/daemon/flags.js';
import { captureOutput } from '../../packages/cli/src/output.js';
import { node, service, task } from './fixtures.js';

const NOW = 1_700_000_000_000;
const ingress = (publishedPort: number, targetPort: number, protocol = 'tcp'): PortConfig => ({ protocol, targetPort, publishedPort, publishMode: 'ingress' });

describe('task ports', () => {
  it('shows an ingress port where the mesh reaches the task, a host port as docker does', () => {
    const ports = [ingress(32768, 80), ingress(32769, 53, 'udp'), { protocol: 'tcp', targetPort: 443, publishedPort: 8443, publishMode: 'host' }];
    expect(formatTaskPorts(ports, '127.0.0.2')).toBe('127.0.0.2:32768->80/tcp,127.0.0.2:32769->53/udp,*:8443->443/tcp');
  });

  it('leaves out an ingress port not bound (a stopped container), and says * for an unknown node', () => {
    expect(formatTaskPorts([ingress(0, 80)], '127.0.0.2')).toBe('');
    expect(formatTaskPorts([ingress(32768, 80)], '')).toBe('*:32768->80/tcp');
  });

  it('fills the PORTS column of service ps from the node addresses', () => {
    const t = task({ id: 'aaaaaaaaaaaaaaaaaaaaaaaaa', slot: 1 });
    t.status.ports = [ingress(32768, 80)];
    const out = captureOutput();
    const rows = taskRows([t], new Map([['node1', 'node-1']]), new Map([['node1', '127.0.0.3']]));
    printList(out, taskColumns(NOW, true), rows, { format: 'json', quiet: false, json: taskJsonFields(NOW, true) });
    expect((JSON.parse(out.stdout[0]!) as Record<string, string>).Ports).toBe('127.0.0.3:32768->80/tcp');
  });
});

describe('inspect --pretty', () => {
  it('lists a service\'s endpoints with their healthy tasks, and says when none is', () => {
    const s = service({ name: 'web', replicas: 2, ports: [{ publishedPort: 8080, targetPort: 80 }] });
    s.spec.endpoint.ports[0]!.publishMode = 'ingress';
    s.endpoints = [
      { serviceId: s.id, serviceName: 'web', protocol: 'tcp', publishedPort: 8080, targetPort: 80, backends: [
        { taskId: 'task1', nodeId: 'n1', addr: '127.0.0.2:32768' },
        { taskId: 'task2', nodeId: 'n2', addr: '127.0.0.3:32770' },
      ] },
      { serviceId: s.id, serviceName: 'web', protocol: 'udp', publishedPort: 5353, targetPort: 53, backends: [] },
    ];
    const lines = prettyService(s);
    expect(lines).toContain(' *:8080->80/tcp (ingress)');
    const at = lines.indexOf('Endpoints:');
    expect(lines.slice(at, at + 5)).toEqual([
      'Endpoints:',
      ' *:8080->80/tcp:    2 healthy tasks',
      '  127.0.0.2:32768:  task task1',
      '  127.0.0.3:32770:  task task2',
      ' *:5353->53/udp:    no healthy task (connections are closed at once)',
    ]);
    expect(prettyService(service({ name: 'plain' }))).not.toContain('Endpoints:');
  });

  it('lists a node\'s mesh listeners with their counters, or why one does not listen', () => {
    const n = node({ hostname: 'node-1' });
    n.mesh = [
      { addr: '127.0.0.2:8080', protocol: 'tcp', serviceName: 'web', active: 2, total: 120, failures: 1, bytesIn: 2048, bytesOut: 100, error: '' },
      { addr: '127.0.0.2:5353', protocol: 'udp', serviceName: 'dns', active: 1, total: 4, failures: 0, bytesIn: 40, bytesOut: 80, error: '' },
      { addr: '127.0.0.2:9090', protocol: 'tcp', serviceName: 'api', active: 0, total: 0, failures: 0, bytesIn: 0, bytesOut: 0, error: 'listen EADDRINUSE: address already in use 127.0.0.2:9090' },
    ];
    const lines = prettyNode(n);
    const at = lines.indexOf('Routing Mesh:');
    expect(lines.slice(at)).toEqual([
      'Routing Mesh:',
      ' 127.0.0.2:8080/tcp: 2 active, 120 total connections, 1 failed, in 2KiB, out 100B (web)',
      ' 127.0.0.2:5353/udp: 1 active, 4 total flows, 0 failed, in 40B, out 80B (dns)',
      ' 127.0.0.2:9090/tcp: not listening: listen EADDRINUSE: address already in use 127.0.0.2:9090 (api)',
    ]);
    expect(prettyNode(node({ hostname: 'node-2' }))).not.toContain('Routing Mesh:');
  });
});

describe('agent --mesh-listen', () => {
  it('takes IP addresses, wildcards included', () => {
    expect(parseMeshListen(['10.0.0.2', ' 0.0.0.0 ', '::', '[::1]'])).toEqual(['10.0.0.2', '0.0.0.0', '::', '::1']);
    expect(parseMeshListen([])).toEqual([]);
  });

  it.each(['10.0.0.2:8080', 'localhost', '', '300.1.1.1'])('refuses %j in one line', (text) => {
    expect(() => parseMeshListen([text])).toThrow(`invalid mesh listen address "${text}": use an IP address of this host (no port)`);
  });
});
