import { homedir } from 'node:os';
import { stdio } from './output.js';
import { run } from './run.js';

// Exit explicitly: gRPC channels and timers must not keep a finished command alive.
run(process.argv.slice(2), { out: stdio, env: process.env, home: homedir(), now: () => Date.now() }).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  },
);
