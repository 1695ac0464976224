// A routing mesh (the built one: npm run build) in a process of its own, for tests that run it under a low limit of
// open files. argv: listen port, backend address. Prints "ready" once listening; each line read from stdin is
// answered with the listeners' stats as JSON, plus the process's CPU time so far (µs); exits when stdin ends.
import { createInterface } from 'node:readline';
import { Mesh } from '../../../packages/agent/dist/mesh/index.js';

const [port, addr] = process.argv.slice(2);
const logger = { debug() {}, info() {}, warn() {}, error() {}, child() { return logger; }, level: 'silent', bindings: () => ({}) };
const clock = { now: () => Date.now(), setTimeout: (f, ms) => { const t = setTimeout(f, ms); return () => clearTimeout(t); } };
const mesh = new Mesh({ listenHosts: ['127.0.0.1'], logger, clock });
await mesh.apply({
  full: true, removedServices: [], backendChanges: [],
  endpoints: [{ serviceId: 's', serviceName: 'web', protocol: 'tcp', publishedPort: Number(port), targetPort: 80, backends: [{ taskId: 't1', nodeId: 'n', addr }] }],
});
console.log('ready');
const lines = createInterface({ input: process.stdin });
lines.on('line', () => {
  const cpu = process.cpuUsage();
  console.log(JSON.stringify({ listeners: mesh.listeners(), cpuUs: cpu.user + cpu.system }));
});
lines.on('close', () => void mesh.close().then(() => process.exit(0)));
