// The routing mesh on a real engine: three agents (127.0.0.2-4), each listening on every published ingress port and
// forwarding each connection to a healthy running task on any node. Requests through every agent reach every
// replica; a killed container, two rolling updates (start-first, then stop-first) under traffic without pause and a
// killed agent cost no request; a service scaled to 0 closes connections at once; UDP is forwarded too; host mode
// binds on the task's node; a published port taken on one node is reported for that node while the others serve.
import { createSocket } from 'node:dgram';
import { request } from 'node:http';
import { connect, createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCluster, docker, freePort } from './harness.js';
import { TEST_IMAGE } from './images.js';

const HOSTS = ['127.0.0.2', '127.0.0.3', '127.0.0.4'];
const hostOf = (node: string) => `127.0.0.${Number(node.replace('node-', '')) + 1}`;

/**
 * busybox httpd whose page names its container (its hostname, the short container id): "starting ID" for the
 * first second, then "ready ID" and /tmp/ready, which is what the health check tests. An answer "starting" would be
 * one the mesh sent to a task not yet healthy.
 */
const WEB = [
  "trap 'exit 0' TERM",
  'id=$(/bin/busybox cat /etc/hostname)',
  'echo "starting $id" > /www/index.html',
  '(/bin/busybox sleep 1; echo "ready $id" > /www/index.html; /bin/busybox touch /tmp/ready) &',
  '/bin/busybox httpd -f -p 80 -h /www & wait',
].join('\n');
const HEALTH = ['--health-cmd', 'test -f /tmp/ready', '--health-interval', '300ms', '--health-start-period', '10s', '--health-retries', '3'];

/** GET http://host:port/ on a fresh connection: the body of a 200, else a rejection (5 s at most). */
function get(host: string, port: number, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path: '/', agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString().trim();
        if (res.statusCode === 200) resolve(body);
        else reject(new Error(`HTTP ${res.statusCode}: ${body}`));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** `n` requests spread over `hosts`, one after the other: the answers and the failures. */
async function requests(hosts: readonly string[], port: number, n: number): Promise<{ answers: string[]; failures: string[] }> {
  const answers: string[] = [];
  const failures: string[] = [];
  for (let i = 0; i < n; i++) {
    const host = hosts[i % hosts.length]!;
    await get(host, port).then((a) => answers.push(a), (err: Error) => failures.push(`${host}: ${err.message}`));
  }
  return { answers, failures };
}

/**
 * Clients sending requests without pause through every agent until `stop()` (3 in parallel, each at most 20,000
 * requests), then the answers and the failures.
 */
function traffic(port: number): { stop(): Promise<{ answers: string[]; failures: string[] }> } {
  let stopped = false;
  const answers: string[] = [];
  const failures: string[] = [];
  const client = async (k: number) => {
    for (let i = 0; i < 20_000 && !stopped; i++) {
      const host = HOSTS[(i + k) % HOSTS.length]!;
      await get(host, port).then((a) => answers.push(a), (err: Error) => failures.push(`${host}: ${err.message}`));
    }
  };
  const clients = Promise.all([0, 1, 2].map(client));
  return {
    stop: async () => {
      stopped = true;
      await clients;
      return { answers, failures };
    },
  };
}

/** What a TCP connection to host:port reads until it closes, and how long that took; 'refused' when refused. */
function connectAndRead(host: string, port: number): Promise<{ outcome: string; ms: number }> {
  const start = Date.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const s = connect(port, host);
    s.setTimeout(5_000, () => s.destroy(new Error('timeout')));
    s.on('data', (d: Buffer) => chunks.push(d));
    s.on('error', (err: NodeJS.ErrnoException) => resolve({ outcome: err.code === 'ECONNREFUSED' ? 'refused' : err.code ?? err.message, ms: Date.now() - start }));
    s.on('close', () => resolve({ outcome: `closed:${Buffer.concat(chunks).toString()}`, ms: Date.now() - start }));
  });
}

/** Sends one datagram to host:port: the answer, or undefined after 1 s. */
function udpAsk(host: string, port: number, text: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    const done = (answer: string | undefined) => {
      clearTimeout(timer);
      s.close();
      resolve(answer);
    };
    const timer = setTimeout(() => done(undefined), 1_000);
    s.on('message', (m) => done(m.toString()));
    s.on('error', () => done(undefined));
    s.send(text, port, host);
  });
}

const idOf = (answer: string) => answer.split(' ')[1] ?? '';

describe('routing mesh', () => {
  const c = new TestCluster();
  let port = 0;
  /** This cluster's nodes (other clusters may share the engine, with services of the same names). */
  const nodeIds: string[] = [];
  /** Short ids (= hostnames) of a service's containers on this cluster's nodes: running, or with all every one. */
  const containerIds = async (service: string, all = false) => new Set((await Promise.all(nodeIds.map((id) => docker('ps', ...(all ? ['-a'] : []),
    '--filter', `label=shoal.node.id=${id}`, '--filter', `label=shoal.service.name=${service}`, '--format', '{{.ID}}'))))
    .flatMap((out) => out.split('\n').filter(Boolean)));
  const containers = () => containerIds('web', true);
  const runningIds = () => containerIds('web');
  const runningTasks = async (service: string) => (await c.tasks(service)).filter((t) => t.DesiredState === 'Running' && t.CurrentState!.startsWith('Running'));

  beforeAll(async () => {
    await c.startManager({ heartbeat: '1s' });
    for (const i of [1, 2, 3]) nodeIds.push(await c.startAgent(i, i === 1 ? ['--mesh-listen', '127.0.0.5'] : []));
    port = await freePort();
    await c.ok('service', 'create', '--name', 'web', '--replicas', '3', '-p', `${port}:80`, '--stop-grace-period', '5s',
      '--update-monitor', '1s', ...HEALTH, TEST_IMAGE, '/bin/sh', '-c', WEB);
  });
  afterAll(() => c.destroy());

  it('spreads requests through every agent over the three healthy replicas', async () => {
    const tasks = await runningTasks('web');
    expect(tasks).toHaveLength(3);
    expect(new Set(tasks.map((t) => t.Node))).toEqual(new Set(['node-1', 'node-2', 'node-3']));
    for (const t of tasks) expect(t.Ports).toMatch(new RegExp(`^${hostOf(t.Node!).replaceAll('.', '\\.')}:\\d+->80/tcp$`));
    expect(await c.ok('service', 'ls')).toMatch(new RegExp(`web\\s+replicated\\s+3/3\\s+${TEST_IMAGE}\\s+\\*:${port}->80/tcp`));

    // The first table may still be on its way to some agent.
    await c.waitFor(async () => (await Promise.all(HOSTS.map((h) => get(h, port, 2_000).then(() => true, () => false)))).every(Boolean), 15_000, 'every agent to answer');
    const ids = await runningIds();
    for (const host of [...HOSTS, '127.0.0.5']) { // node-1 also listens on its --mesh-listen address
      const { answers, failures } = await requests([host], port, 30);
      expect(failures).toEqual([]);
      expect(answers.every((a) => a.startsWith('ready '))).toBe(true);
      expect(new Set(answers.map(idOf))).toEqual(ids); // all three replicas, from every agent
    }

    const [svc] = JSON.parse(await c.ok('service', 'inspect', 'web')) as Array<{ endpoints: Array<{ publishedPort: number; backends: unknown[] }> }>;
    expect(svc!.endpoints).toHaveLength(1);
    expect(svc!.endpoints[0]).toMatchObject({ publishedPort: port, targetPort: 80, protocol: 'tcp' });
    expect(svc!.endpoints[0]!.backends).toHaveLength(3);
    expect(await c.ok('service', 'inspect', '--pretty', 'web')).toMatch(new RegExp(`Endpoints:\\n \\*:${port}->80/tcp:\\s+3 healthy tasks`));
    // The same through a docker-style template, as a script would read it.
    const [name, endpoints] = (await c.ok('service', 'inspect', '-f', '{{.spec.annotations.name}}\\t{{json .endpoints}}', 'web')).trim().split('\t');
    expect(name).toBe('web');
    expect(JSON.parse(endpoints!)).toEqual(svc!.endpoints);
    await c.waitFor(async () => {
      const [node] = JSON.parse(await c.ok('node', 'inspect', 'node-1')) as Array<{ mesh: Array<{ addr: string; total: number }> }>;
      return (node!.mesh.find((l) => l.addr === `127.0.0.2:${port}`)?.total ?? 0) >= 30;
    }, 10_000, 'node-1 to report its mesh listener with its connections');
    expect(await c.ok('node', 'inspect', '--pretty', 'node-1')).toMatch(new RegExp(`Routing Mesh:\\n 127\\.0\\.0\\.2:${port}/tcp:\\s+\\d+ active, \\d+ total connections, 0 failed`));
    const listeners = JSON.parse(await c.ok('node', 'inspect', '--format', '{{json .mesh}}', 'node-1')) as Array<{ addr: string; failures: number }>;
    expect(listeners.find((l) => l.addr === `127.0.0.2:${port}`)).toMatchObject({ failures: 0 });
  });

  it('keeps answering when a replica\'s container is killed', async () => {
    const [victim] = await runningIds();
    await docker('kill', victim!);
    const { answers, failures } = await requests(HOSTS, port, 60);
    expect(failures).toEqual([]);
    expect(answers.map(idOf)).not.toContain(victim);
    // The restart policy replaces it; the replacement joins once healthy.
    await c.waitFor(async () => (await runningTasks('web')).length === 3, 60_000, 'the killed replica to be replaced');
  });

  for (const order of ['start-first', 'stop-first']) {
    it(`loses no request during a ${order} rolling update, and only healthy tasks answer`, async () => {
      const before = await runningIds();
      const load = traffic(port);
      const update = await c.shoal('service', 'update', '--update-order', order, '--env-add', `ORDER=${order}`, 'web');
      const { answers, failures } = await load.stop();
      expect(update.code, update.stderr).toBe(0);
      expect(update.stdout).toMatch(/verify: Service converged/);
      expect(failures).toEqual([]);
      expect(answers.length).toBeGreaterThan(50);
      expect(answers.filter((a) => !a.startsWith('ready '))).toEqual([]); // no answer from a task not yet healthy
      // The last old task may still be stopping (draining) as the update converges.
      await c.waitFor(async () => ![...await runningIds()].some((id) => before.has(id)), 20_000, 'every old task to stop');
      const after = await runningIds();
      const all = await containers();
      const seen = new Set(answers.map(idOf));
      for (const id of seen) expect(all.has(id)).toBe(true);
      expect([...seen].some((id) => after.has(id))).toBe(true); // the new tasks served during the update
      expect([...seen].some((id) => before.has(id))).toBe(true);
    });
  }

  it('stops a task only once its open connection through the mesh has finished', async () => {
    const drainPort = await freePort();
    await c.ok('service', 'create', '--name', 'slow', '-p', `${drainPort}:80`, '--stop-grace-period', '60s', TEST_IMAGE);
    await c.waitFor(async () => get('127.0.0.2', drainPort, 2_000).then(() => true, () => false), 15_000, 'the slow service through the mesh');
    const [old] = await containerIds('slow');
    // A request left half-sent: httpd waits for the rest of its headers, the connection open through the mesh.
    const chunks: Buffer[] = [];
    const held = connect(drainPort, '127.0.0.3');
    const closed = new Promise<void>((resolve) => held.on('close', () => resolve()));
    held.on('data', (d: Buffer) => chunks.push(d));
    held.on('error', () => undefined);
    await new Promise<void>((resolve) => held.once('connect', () => resolve()));
    held.write('GET / HTTP/1.0\r\n');
    await new Promise((r) => setTimeout(r, 300));
    await c.ok('service', 'update', '-d', '--env-add', 'NEXT=1', 'slow');
    await c.holds(async () => (await docker('ps', '-q', '--filter', `id=${old}`)) !== '', 3_000, 'the old task\'s container running while its connection is open');
    held.write('\r\n');
    await closed;
    expect(Buffer.concat(chunks).toString()).toMatch(/^HTTP\/1\.[01] 200/);
    const finished = Date.now();
    await c.waitFor(async () => (await docker('ps', '-q', '--filter', `id=${old}`)) === '', 45_000, 'the old task to stop once its connection finished');
    expect(Date.now() - finished).toBeLessThan(30_000); // well within the 60 s grace period (an engine under load stops slowly)
    await c.waitFor(async () => get('127.0.0.4', drainPort, 2_000).then(() => true, () => false), 30_000, 'the new task through the mesh');
    await c.ok('service', 'rm', 'slow');
  });

  it('forwards UDP datagrams to the replicas', async () => {
    // No UDP server in busybox: node, from this host's /usr, answers with its container's hostname.
    expect(process.execPath.startsWith('/usr/')).toBe(true);
    const echo = "const s=require('dgram').createSocket('udp4');const h=require('fs').readFileSync('/etc/hostname','utf8').trim();"
      + "s.on('message',(m,r)=>s.send(h+' '+m,r.port,r.address));s.bind(5353);process.on('SIGTERM',()=>process.exit(0));";
    const udpPort = await freePort();
    await c.ok('service', 'create', '--name', 'echo', '--replicas', '2', '--publish', `published=${udpPort},target=5353,protocol=udp`,
      ...['/usr', '/lib', '/lib64'].map((d) => `--mount=type=bind,source=${d},target=${d},readonly`), TEST_IMAGE, process.execPath, '-e', echo);
    const ids = await containerIds('echo');
    for (const host of HOSTS) {
      let answer: string | undefined;
      await c.waitFor(async () => (answer = await udpAsk(host, udpPort, 'ping')) !== undefined, 15_000, `a UDP answer through ${host}`);
      const [id, text] = answer!.split(' ');
      expect(text).toBe('ping');
      expect(ids.has(id!)).toBe(true);
    }
  });

  it('binds a host-mode port on the task\'s node only', async () => {
    const hostPort = await freePort();
    await c.ok('service', 'create', '--name', 'direct', '--publish', `mode=host,published=${hostPort},target=80`, TEST_IMAGE);
    const [task] = await runningTasks('direct');
    expect(task!.Ports).toBe(`*:${hostPort}->80/tcp`);
    expect(await get(hostOf(task!.Node!), hostPort)).toContain('Hello from shoal');
    const other = HOSTS.find((h) => h !== hostOf(task!.Node!))!;
    expect((await connectAndRead(other, hostPort)).outcome).toBe('refused');
  });

  it('reports a published port taken on one node for that node; the others serve it', async () => {
    const takenPort = await freePort();
    const blocker: Server = createServer((s) => s.destroy());
    await new Promise<void>((resolve) => blocker.listen(takenPort, '127.0.0.3', resolve));
    try {
      await c.ok('service', 'create', '--name', 'taken', '-p', `${takenPort}:80`, TEST_IMAGE);
      await c.waitFor(async () => get('127.0.0.2', takenPort, 2_000).then((b) => b.includes('Hello from shoal'), () => false), 15_000, 'the taken service through node-1');
      expect(await get('127.0.0.4', takenPort)).toContain('Hello from shoal');
      await c.waitFor(async () => {
        const [node] = JSON.parse(await c.ok('node', 'inspect', 'node-2')) as Array<{ mesh: Array<{ addr: string; error: string }> }>;
        return /EADDRINUSE|in use/i.test(node!.mesh.find((l) => l.addr === `127.0.0.3:${takenPort}`)?.error ?? '');
      }, 15_000, 'node-2 to report its listener\'s error');
      expect(await c.ok('node', 'inspect', '--pretty', 'node-2')).toMatch(new RegExp(`127\\.0\\.0\\.3:${takenPort}/tcp:\\s+not listening: .*(EADDRINUSE|in use)`));
      expect((await requests(['127.0.0.3'], port, 5)).failures).toEqual([]); // node-2's other listeners serve on
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
      await c.ok('service', 'rm', 'taken');
    }
  });

  it('keeps answering through the other agents once a killed agent\'s tasks are replaced', async () => {
    await c.kill('agent-3');
    await c.waitFor(async () => {
      const tasks = await runningTasks('web');
      return tasks.length === 3 && tasks.every((t) => t.Node !== 'node-3');
    }, 60_000, 'node-3\'s replica to be replaced');
    const { answers, failures } = await requests(HOSTS.slice(0, 2), port, 60);
    expect(failures).toEqual([]);
    expect(answers.every((a) => a.startsWith('ready '))).toBe(true);
  });

  it('closes connections at once when the service has no task left', async () => {
    await c.ok('service', 'scale', 'web=0');
    for (const host of HOSTS.slice(0, 2)) {
      const { outcome, ms } = await connectAndRead(host, port);
      expect(outcome === 'refused' || outcome === 'ECONNRESET' || outcome === 'closed:').toBe(true);
      expect(ms).toBeLessThan(1_000);
      await expect(get(host, port)).rejects.toThrow();
    }
  });
});
