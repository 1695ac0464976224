// Raft transport benchmark: a leader streams appends to a follower over gRPC on loopback, each side in its own
// thread (as two managers have their own process). The follower answers every 256th index with an append-response,
// and the leader keeps at most WINDOW messages unanswered, like Raft's in-flight limit, so nothing is dropped.
// Entry: npx tsc -b && node bench/raft/transport.mjs [--messages N] [--entries E] [--bytes B]
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { bindServer, newServer, stopServer } from '@shoal/api';
import { newMessage } from '../../packages/manager/dist/raft/core/index.js';
import { GrpcRaftTransport } from '../../packages/manager/dist/raft/grpc-transport.js';

const CLUSTER = 'bench';
const ACK_EVERY = 256;
const WINDOW = 4096;
const logger = pino({ level: 'silent' });

async function member(id) {
  const transport = new GrpcRaftTransport({ id, clusterId: CLUSTER, logger });
  const server = newServer();
  transport.register(server);
  const port = await bindServer(server, '127.0.0.1:0');
  return { transport, server, addr: `127.0.0.1:${port}` };
}

async function follower() {
  const { transport, server, addr } = await member('follower');
  parentPort.on('message', async (msg) => {
    if (msg.leader) transport.setPeer('leader', msg.leader);
    if (msg.stop) { await transport.stop(); await stopServer(server); parentPort.close(); }
  });
  await transport.start({
    deliver: (m) => {
      const last = m.index + m.entries.length;
      if (Math.floor(last / ACK_EVERY) > Math.floor(m.index / ACK_EVERY) || m.context === 'last') {
        transport.send([newMessage({ type: 'append-response', from: 'follower', to: 'leader', term: m.term, index: last })]);
      }
    },
    onUnreachable: () => undefined,
  });
  parentPort.postMessage({ addr });
}

async function leader() {
  const { values } = parseArgs({ options: { messages: { type: 'string', default: '100000' }, entries: { type: 'string', default: '1' }, bytes: { type: 'string', default: '64' } } });
  const messages = Number(values.messages);
  const perMessage = Number(values.entries);
  const data = new Uint8Array(Number(values.bytes)).fill(7);
  const worker = new Worker(new URL(import.meta.url), { workerData: { follower: true } });
  const followerAddr = await new Promise((resolve) => worker.once('message', (m) => resolve(m.addr)));
  const { transport, server, addr } = await member('leader');
  worker.postMessage({ leader: addr });
  transport.setPeer('follower', followerAddr);

  const total = messages * perMessage; // last entry index
  let acked = 0;
  let unreachable = 0;
  let wake = () => undefined;
  let finished = () => undefined;
  const done = new Promise((resolve) => { finished = resolve; });
  await transport.start({
    deliver: (m) => { acked = Math.max(acked, m.index); wake(); if (acked >= total) finished(); },
    onUnreachable: () => { unreachable++; },
  });

  const started = performance.now();
  let index = 0;
  for (let n = 0; n < messages; n++) {
    while ((index - acked) / perMessage >= WINDOW) await new Promise((resolve) => { wake = resolve; });
    const entries = Array.from({ length: perMessage }, (_, k) => ({ term: 1, index: index + k + 1, type: 'normal', data }));
    transport.send([newMessage({ type: 'append', from: 'leader', to: 'follower', term: 1, logTerm: 1, index, entries, commit: index, context: n === messages - 1 ? 'last' : '' })]);
    index += perMessage;
    // The driver sends once per Ready: let the event loop turn now and then, as between Readies.
    if (n % 64 === 63) await new Promise((resolve) => setImmediate(resolve));
  }
  await done;
  const seconds = (performance.now() - started) / 1000;
  console.log(`${messages} appends x ${perMessage} entries of ${data.length} B in ${seconds.toFixed(2)} s: `
    + `${Math.round(messages / seconds)} messages/s, ${Math.round(total / seconds)} entries/s (unreachable reports: ${unreachable})`);
  await transport.stop();
  await stopServer(server);
  worker.postMessage({ stop: true });
}

if (isMainThread) await leader();
else if (workerData?.follower) await follower();
