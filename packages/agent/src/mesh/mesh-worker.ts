// The routing mesh's own thread (started by MeshThread): the tables and UDP forwarding run on an event loop of their
// own, beside the agent's engine calls and session (TCP is forwarded by the native proxy's thread, which this one
// drives), with a small young generation so that thousands of UDP flows stay cheap.
import { parentPort, workerData } from 'node:worker_threads';
// Not '@shoal/api' itself: its index loads gRPC, which this thread has no use for.
import { systemClock } from '@shoal/api/clock';
import { createLogger } from '@shoal/api/log';
import { Mesh } from './index.js';
import { STATS_MS, type MeshReply, type MeshRequest, type MeshThreadData } from './thread-protocol.js';

const port = parentPort!;
const data = workerData as MeshThreadData;
const mesh = new Mesh({
  listenHosts: data.listenHosts,
  logger: createLogger('agent', data.logLevel).child(data.logBindings),
  clock: systemClock,
  connectTimeoutMs: data.connectTimeoutMs,
  udpIdleMs: data.udpIdleMs,
});

let reported = '';
function report(): void {
  const stats = mesh.listeners();
  const text = JSON.stringify(stats);
  if (text === reported) return;
  reported = text;
  port.postMessage({ stats } satisfies MeshReply);
}
const timer = setInterval(report, STATS_MS);

port.on('message', (req: MeshRequest) => {
  void answer(req).then(
    (value) => port.postMessage({ id: req.id, ok: true, value } satisfies MeshReply),
    (err: unknown) => port.postMessage({ id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies MeshReply),
  ).finally(() => {
    if (req.op === 'close') port.close(); // nothing is left to keep the thread alive: it ends
  });
});

async function answer(req: MeshRequest): Promise<number | undefined> {
  switch (req.op) {
    case 'apply':
      await mesh.apply(req.table);
      report();
      return undefined;
    case 'connections':
      return mesh.openConnections(req.taskId);
    case 'close':
      clearInterval(timer);
      await mesh.close();
      return undefined;
  }
}
