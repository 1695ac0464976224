// One routing mesh in its own process, as an agent runs it, fed its endpoint table by the bench over IPC.
//   node --expose-gc bench/mesh/mesh-node.mjs   (forked by run.mjs; exits when its parent goes)
import { pino } from 'pino';
import { systemClock } from '../../packages/api/dist/index.js';
import { Mesh } from '../../packages/agent/dist/mesh/index.js';

const mesh = new Mesh({ listenHosts: ['127.0.0.1'], logger: pino({ level: 'warn' }), clock: systemClock });

process.on('message', async (msg) => {
  if (msg.type === 'apply') {
    await mesh.apply(msg.table);
    process.send({ type: 'applied', listeners: mesh.listeners() });
  } else if (msg.type === 'stats') {
    for (let i = 0; i < 3; i++) globalThis.gc?.();
    const m = process.memoryUsage();
    process.send({ type: 'stats', rss: m.rss, heapUsed: m.heapUsed, external: m.external, listeners: mesh.listeners() });
  } else if (msg.type === 'close') {
    await mesh.close();
    process.send({ type: 'closed' });
  }
});
process.on('disconnect', () => { mesh.close().finally(() => process.exit(0)); });
process.send({ type: 'ready' });
