import { describe, expect, it } from 'vitest';
import { captureOutput } from '../../packages/cli/src/output.js';
import { infoLines, joinTokenLines } from '../../packages/cli/src/format/info.js';
import { inspectJson, prettyNode, prettyService } from '../../packages/cli/src/format/inspect.js';
import { formatLogLine, logPrefix } from '../../packages/cli/src/format/logs.js';
import { managerStatus, nodeColumns, nodeJsonFields, nodeRows } from '../../packages/cli/src/format/nodes.js';
import { formatPorts } from '../../packages/cli/src/format/ports.js';
import { activeNodeIds, serviceColumns, serviceRows } from '../../packages/cli/src/format/services.js';
import { ellipsis, naturalCompare, printList, renderTable, truncateId } from '../../packages/cli/src/format/table.js';
import { taskColumns, taskJsonFields, taskName, taskRows } from '../../packages/cli/src/format/tasks.js';
import { ago, humanDuration, rfc3339Nano } from '../../packages/cli/src/format/time.js';
import { NOW, node, service, task } from './fixtures.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration (docker/go-units)', () => {
  it.each([
    [450, 'Less than a second'], [1 * S, '1 second'], [47 * S, '47 seconds'], [59 * S, '59 seconds'],
    [60 * S, 'About a minute'], [119 * S, 'About a minute'], [3 * M, '3 minutes'], [35 * M + 40 * S, '35 minutes'],
    [59 * M, '59 minutes'], [1 * H, 'About an hour'], [1 * H + 29 * M, 'About an hour'], [1 * H + 31 * M, '2 hours'],
    [3 * H + 31 * M, '4 hours'], [24 * H, '24 hours'], [36 * H, '36 hours'], [2 * D, '2 days'], [13 * D + 5 * H, '13 days'],
    [14 * D, '2 weeks'], [30 * D, '4 weeks'], [44 * D, '6 weeks'], [60 * D, '2 months'], [5 * 30 * D + 14 * D, '5 months'],
    [24 * 30 * D, '24 months'], [24 * 30 * D + 14 * D, '2 years'], [3 * 365 * D + 60 * D, '3 years'],
  ])('%d ms -> %s', (ms, want) => expect(humanDuration(ms)).toBe(want));

  it('says "… ago" in lower case, as CURRENT STATE does', () => {
    expect(ago(NOW - 8 * S, NOW)).toBe('8 seconds ago');
    expect(ago(NOW - 90 * S, NOW)).toBe('about a minute ago');
    expect(ago(NOW - 2 * H, NOW)).toBe('2 hours ago');
    expect(ago(NOW + 5 * S, NOW)).toBe('less than a second ago');
  });

  it('formats RFC3339Nano like Go', () => {
    expect(rfc3339Nano(1_700_000_000_000_000_000)).toBe('2023-11-14T22:13:20Z');
    expect(rfc3339Nano(1_700_000_000_500_000_000)).toBe('2023-11-14T22:13:20.5Z');
  });
});

describe('table', () => {
  it('pads columns to 3 spaces past the widest cell, without trailing blanks', () => {
    expect(renderTable(['ID', 'NAME', 'PORTS'], [['abc', 'web', ''], ['abcdef', 'w', '*:80->80/tcp']])).toEqual([
      'ID       NAME   PORTS',
      'abc      web',
      'abcdef   w      *:80->80/tcp',
    ]);
    expect(renderTable(['ID'], [])).toEqual(['ID']);
  });

  const cols = [
    { header: 'ID', key: 'ID', value: (r: { id: string; n: number }) => r.id },
    { header: 'DESIRED STATE', key: 'DesiredState', value: (r: { id: string; n: number }) => String(r.n) },
  ];
  const rows = [{ id: 'a', n: 1 }, { id: 'b', n: 2 }];

  it('prints json lines with CamelCase keys, ids only with -q, or a table', () => {
    const json = captureOutput();
    printList(json, cols, rows, { format: 'json', quiet: false });
    expect(json.stdout).toEqual(['{"ID":"a","DesiredState":"1"}', '{"ID":"b","DesiredState":"2"}']);
    const quiet = captureOutput();
    printList(quiet, cols, rows, { format: 'table', quiet: true });
    expect(quiet.stdout).toEqual(['a', 'b']);
    const table = captureOutput();
    printList(table, cols, rows, { format: 'table', quiet: false });
    expect(table.stdout).toEqual(['ID   DESIRED STATE', 'a    1', 'b    2']);
  });

  it('truncates, ellipsizes and sorts naturally', () => {
    expect(truncateId('abcdefghijklmnopqrstuvwxy')).toBe('abcdefghijkl');
    expect(ellipsis('short', 30)).toBe('short');
    expect(ellipsis('x'.repeat(31), 30)).toBe(`${'x'.repeat(29)}…`);
    expect(['web.10', 'web.2', 'web.1'].sort(naturalCompare)).toEqual(['web.1', 'web.2', 'web.10']);
  });
});

describe('ports', () => {
  it('prints *:published->target/protocol', () => {
    const ports = [
      { protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'host' },
      { protocol: 'udp', targetPort: 53, publishedPort: 5353, publishMode: 'host' },
    ];
    expect(formatPorts(ports)).toBe('*:8080->80/tcp, *:5353->53/udp');
    expect(formatPorts(ports, ',')).toBe('*:8080->80/tcp,*:5353->53/udp');
    expect(formatPorts([])).toBe('');
  });
});

describe('service ps rows', () => {
  const hostnames = new Map([['node1', 'node-1']]);
  const tasks = [
    task({ id: 'old1aaaaaaaaaaaaaaaaaaaaa', slot: 1, state: 'FAILED', desired: 'SHUTDOWN', createdAt: NOW - 50_000, err: 'task: non-zero exit (1): the process ended badly' }),
    task({ id: 'new1aaaaaaaaaaaaaaaaaaaaa', slot: 1, createdAt: NOW - 10_000, ports: [{ publishedPort: 8080, targetPort: 80 }] }),
    task({ id: 'ten0aaaaaaaaaaaaaaaaaaaaa', slot: 10, createdAt: NOW - 60_000 }),
    task({ id: 'two0aaaaaaaaaaaaaaaaaaaaa', slot: 2, node: '', state: 'PENDING', createdAt: NOW - 60_000, timestamp: NOW - 90_000 }),
    task({ id: 'glob0aaaaaaaaaaaaaaaaaaaa', service: 'mon', slot: 0, node: 'node1' }),
  ];

  it('names tasks as docker does', () => {
    expect(taskName(task({ slot: 3 }))).toBe('web.3');
    expect(taskName(task({ service: 'mon', slot: 0, node: 'abc' }))).toBe('mon.abc');
  });

  it('sorts by name naturally, newest first within a slot, history indented', () => {
    const lines = captureOutput();
    printList(lines, taskColumns(NOW, false), taskRows(tasks, hostnames), { format: 'table', quiet: false });
    expect(lines.stdout).toEqual([
      'ID             NAME        IMAGE          NODE     DESIRED STATE   CURRENT STATE                ERROR                              PORTS',
      'glob0aaaaaaa   mon.node1   shoal-demo:1   node-1   Running         Running 8 seconds ago',
      'new1aaaaaaaa   web.1       shoal-demo:1   node-1   Running         Running 8 seconds ago                                           *:8080->80/tcp',
      'old1aaaaaaaa    \\_ web.1   shoal-demo:1   node-1   Shutdown        Failed 8 seconds ago         "task: non-zero exit (1): the …"',
      'two0aaaaaaaa   web.2       shoal-demo:1            Running         Pending about a minute ago',
      'ten0aaaaaaaa   web.10      shoal-demo:1   node-1   Running         Running 8 seconds ago',
    ]);
  });

  it('keeps full ids and errors with --no-trunc, and unindented names in json', () => {
    const out = captureOutput();
    printList(out, taskColumns(NOW, true), taskRows(tasks.slice(0, 2), hostnames), { format: 'json', quiet: false, json: taskJsonFields(NOW, true) });
    expect(out.stdout.map((l) => JSON.parse(l) as Record<string, string>)).toEqual([
      { ID: 'new1aaaaaaaaaaaaaaaaaaaaa', Name: 'web.1', Image: 'shoal-demo:1', Node: 'node-1', DesiredState: 'Running', CurrentState: 'Running 8 seconds ago', Error: '', Ports: '*:8080->80/tcp' },
      { ID: 'old1aaaaaaaaaaaaaaaaaaaaa', Name: 'web.1', Image: 'shoal-demo:1', Node: 'node-1', DesiredState: 'Shutdown', CurrentState: 'Failed 8 seconds ago', Error: '"task: non-zero exit (1): the process ended badly"', Ports: '' },
    ]);
  });
});

describe('service ls rows', () => {
  it('counts running tasks on live nodes against the replicas, or the global tasks', () => {
    const services = [
      service({ id: 'w'.repeat(25), name: 'web', replicas: 3, ports: [{ publishedPort: 8080, targetPort: 80 }] }),
      service({ id: 'g'.repeat(25), name: 'agentd', mode: 'global', image: 'busybox' }),
    ];
    const tasks = [
      task({ serviceId: 'w'.repeat(25), slot: 1, node: 'n1' }),
      task({ serviceId: 'w'.repeat(25), slot: 2, node: 'n2' }), // on a down node
      task({ serviceId: 'w'.repeat(25), slot: 3, node: 'n1', state: 'STARTING' }),
      task({ serviceId: 'w'.repeat(25), slot: 3, node: 'n1', state: 'FAILED', desired: 'SHUTDOWN' }),
      task({ serviceId: 'g'.repeat(25), slot: 0, node: 'n1' }),
      task({ serviceId: 'g'.repeat(25), slot: 0, node: 'n3', state: 'PREPARING' }),
      task({ serviceId: 'g'.repeat(25), slot: 0, node: 'n2' }),
    ];
    const active = activeNodeIds([node({ id: 'n1' }), node({ id: 'n2', state: 'down' }), node({ id: 'n3' })]);
    const out = captureOutput();
    printList(out, serviceColumns, serviceRows(services, tasks, active), { format: 'table', quiet: false });
    expect(out.stdout).toEqual([
      'ID             NAME     MODE         REPLICAS   IMAGE          PORTS',
      'gggggggggggg   agentd   global       1/2        busybox',
      'wwwwwwwwwwww   web      replicated   1/3        shoal-demo:1   *:8080->80/tcp',
    ]);
  });
});

describe('node ls rows', () => {
  const nodes = [
    node({ id: 'b'.repeat(25), hostname: 'node-10', state: 'down', availability: 'drain', engineVersion: '' }),
    node({ id: 'a'.repeat(25), hostname: 'manager-1', role: 'manager', leader: true }),
    node({ id: 'c'.repeat(25), hostname: 'node-2', availability: 'pause' }),
  ];

  it('marks the node you talk to and shows manager status', () => {
    const out = captureOutput();
    printList(out, nodeColumns, nodeRows(nodes, 'a'.repeat(25)), { format: 'table', quiet: false });
    expect(out.stdout).toEqual([
      'ID               HOSTNAME    STATUS   AVAILABILITY   MANAGER STATUS   ENGINE VERSION',
      'aaaaaaaaaaaa *   manager-1   Ready    Active         Leader           20.10.24',
      'cccccccccccc     node-2      Ready    Pause                           20.10.24',
      'bbbbbbbbbbbb     node-10     Down     Drain',
    ]);
  });

  it('gives full ids and a Self flag in json', () => {
    const out = captureOutput();
    printList(out, nodeColumns, nodeRows(nodes.slice(1, 2), 'a'.repeat(25)), { format: 'json', quiet: false, json: nodeJsonFields });
    expect(JSON.parse(out.stdout[0]!)).toEqual({
      ID: 'a'.repeat(25), Self: true, Hostname: 'manager-1', Status: 'Ready', Availability: 'Active', ManagerStatus: 'Leader', EngineVersion: '20.10.24',
    });
  });

  it.each([
    [node({ role: 'manager', leader: true }), 'Leader'],
    [node({ role: 'manager' }), 'Reachable'],
    [node(), ''],
  ])('manager status %#', (n, want) => expect(managerStatus(n)).toBe(want));
});

describe('inspect', () => {
  it('prints a JSON array indented by 4 spaces', () => {
    expect(inspectJson([{ id: 'x' }])).toBe('[\n    {\n        "id": "x"\n    }\n]');
  });

  it('prints services and nodes readably', () => {
    const s = service({ name: 'web', replicas: 3, ports: [{ publishedPort: 8080, targetPort: 80 }] });
    const lines = prettyService(s);
    expect(lines).toContain('Name:               web');
    expect(lines).toContain(' Replicas:          3');
    expect(lines).toContain(' *:8080->80/tcp (host)');
    expect(lines).toContain(' Delay:             5s');
    const n = prettyNode(node({ hostname: 'node-1', labels: { zone: 'east' } }));
    expect(n).toContain('Hostname:           node-1');
    expect(n).toContain(' zone=east');
    expect(n).toContain(' Memory:            8GiB');
  });
});

describe('info and join token', () => {
  it('prints the join command like docker swarm join-token', () => {
    expect(joinTokenLines('worker', { token: 'SHTKN-1-abc-def', addr: '10.0.0.1:4242' })).toEqual([
      'To add a worker to this cluster, run the following command:',
      '',
      '    shoal agent --join 10.0.0.1:4242 --token SHTKN-1-abc-def --advertise <ADDR> --data-dir <DIR>',
      '',
    ]);
    expect(joinTokenLines('manager', { token: 'SHTKN-1-abc-fed', addr: '10.0.0.1:4242' })).toEqual([
      'To add a manager to this cluster, run the following command:',
      '',
      '    shoal manager --join 10.0.0.1:4242 --token SHTKN-1-abc-fed --listen <ADDR:PORT> --data-dir <DIR>',
      '',
    ]);
  });

  it('prints info as aligned lines', () => {
    const managers = [
      { nodeId: 'n', addr: 'a:1', leader: true, reachability: 'reachable' },
      { nodeId: 'm', addr: 'b:1', leader: false, reachability: 'reachable' },
      { nodeId: 'o', addr: 'c:1', leader: false, reachability: 'unreachable' },
    ];
    const lines = infoLines({ clusterId: 'c', nodeId: 'n', addr: 'a:1', isLeader: true, leaderId: 'n', leaderAddr: 'a:1', managers, nodes: 2, services: 1, tasks: 3, heartbeatPeriodMs: 5000, version: '0.1.0', dataDir: '/d', raft: { tickMs: 100, heartbeatTicks: 1, electionTicks: 10 } });
    expect(lines).toContain('Raft:               tick 100ms, heartbeat 1 tick(s), election 10 ticks');
    expect(lines).toContain('Heartbeat period:   5s');
    expect(lines).toContain('Is leader:          yes');
    expect(lines.slice(-4)).toEqual(['Managers:           3', '  n  a:1  Leader', '  m  b:1  Reachable', '  o  c:1  Unreachable']);
  });
});

describe('log lines', () => {
  const ctx = { taskName: 'web.1', taskId: 'abcdefghijklmnopqrstuvwxy', hostname: 'node-1' };
  const line = { taskId: ctx.taskId, nodeId: 'n', timestampNs: 1_700_000_000_500_000_000, stream: 'stdout', line: 'GET / 200' };

  it('prefixes lines with task.slot.id@node', () => {
    expect(logPrefix(ctx, false)).toBe('web.1.abcdefghijkl@node-1 | ');
    expect(formatLogLine(line, ctx, { timestamps: false, noTaskIds: false, raw: false })).toBe('web.1.abcdefghijkl@node-1 | GET / 200');
    expect(formatLogLine(line, ctx, { timestamps: false, noTaskIds: true, raw: false })).toBe('web.1@node-1 | GET / 200');
    expect(formatLogLine(line, ctx, { timestamps: true, noTaskIds: false, raw: false })).toBe('2023-11-14T22:13:20.5Z web.1.abcdefghijkl@node-1 | GET / 200');
    expect(formatLogLine(line, ctx, { timestamps: false, noTaskIds: false, raw: true })).toBe('GET / 200');
  });
});
