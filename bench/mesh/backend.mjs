// The benchmark's backend, in its own process: a small HTTP server (keep-alive honoured, a fixed 13-byte body) and
// a TCP sink that accepts connections and holds them (for the idle-connection measurement).
//   node bench/mesh/backend.mjs   -> prints {"http":PORT,"sink":PORT} on stdout; exits when its parent goes.
import http from 'node:http';
import net from 'node:net';

const body = Buffer.from('hello, mesh!\n');
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.headersTimeout = 0;
server.requestTimeout = 0;
const sink = net.createServer((s) => s.on('error', () => undefined));

const listen = (srv) => new Promise((resolve) => srv.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => resolve(srv.address().port)));
const ports = { http: await listen(server), sink: await listen(sink) };
process.send?.({ type: 'ready', ...ports });
process.on('disconnect', () => process.exit(0));
