// A mesh thread that never answers (for thread.test.ts): it takes requests and keeps running.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', () => undefined);
setInterval(() => undefined, 1_000);
