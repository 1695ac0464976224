// One routing mesh in its own process, as an agent runs it, fed its endpoint table by the bench over IPC.
//   node --expose-gc bench/mesh/mesh-node.mjs [thread|inline]   (forked by run.mjs; exits when its parent goes)
// thread (default): on a worker thread of its own, as the daemons run it (MeshThread); inline: on the process's
// main thread (Mesh, as in-process tests run it).
import { pino } from 'pino';
import { systemClock } from '../../packages/api/dist/index.js';
import { Mesh } from '../../packages/agent/dist/mesh/index.js';
import { MeshThread } from '../../packages/agent/dist/mesh/thread.js';

const logger = pino({ level: 'warn' });
const mesh = process.argv[2] === 'inline'
  ? new Mesh({ listenHosts: ['127.0.0.1'], logger, clock: systemClock })
  : new MeshThread({ listenHosts: ['127.0.0.1'], logger });

process.on('message', async (msg) => {
  if (msg.type === 'apply') {
    await mesh.apply(msg.table);
    process.send({ type: 'applied', listeners: mesh.listeners() });
  } else if (msg.type === 'stats') {
    for (let i = 0; i < 3; i++) globalThis.gc?.(); // the main thread's heap; a mesh thread collects its own
    const m = process.memoryUsage();
    process.send({ type: 'stats', rss: m.rss, heapUsed: m.heapUsed, external: m.external, listeners: mesh.listeners() });
  } else if (msg.type === 'close') {
    await mesh.close();
    process.send({ type: 'closed' });
  }
});
process.on('disconnect', () => { mesh.close().finally(() => process.exit(0)); });
process.send({ type: 'ready' });
