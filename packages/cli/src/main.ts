import { homedir } from 'node:os';
import { stdio } from './output.js';
import { run } from './run.js';

// A closed pipe (`shoal service logs -f web | head`) ends the command quietly, as in any Unix tool.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

// Exit explicitly: gRPC channels and timers must not keep a finished command alive.
run(process.argv.slice(2), { out: stdio, env: process.env, home: homedir(), now: () => Date.now() }).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  },
);
