// Bundles the compiled CLI (packages/cli/dist, after tsc) into packages/cli/dist/bundle, which bin/shoal.js runs.
// Why: a client command spent ≈ 80 ms of its ≈ 270 ms start finding, reading and compiling some 250 module files
// (grpc-js and protobufjs are many small CommonJS files); docker's CLI starts in ≈ 15 ms. Code splitting keeps the
// daemons (@shoal/manager, @shoal/agent: loaded by a dynamic import) in chunks of their own that a client command
// never reads, with every module in one copy across the chunks. What has native parts or loads files by path at
// run time stays in node_modules.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const cli = new URL('../packages/cli/', import.meta.url).pathname;
const outdir = join(cli, 'dist/bundle');
rmSync(outdir, { recursive: true, force: true });
await build({
  // The routing mesh's thread loads its entry from beside the code that starts it: mesh-worker.js in both layouts.
  entryPoints: [join(cli, 'dist/main.js'), { in: join(cli, '../agent/dist/mesh/mesh-worker.js'), out: 'mesh-worker' }],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  external: ['dockerode', 'level', 'pino'],
  // The CommonJS inside (grpc-js, protobufjs) calls require() for Node's own modules.
  banner: { js: "import { createRequire as shoalCreateRequire } from 'node:module'; const require = shoalCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
