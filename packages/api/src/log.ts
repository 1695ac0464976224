import { createRequire } from 'node:module';
import type { Logger } from 'pino';

export type { Logger };

// pino is loaded by the first logger, not by every command line that imports this package (≈ 11 ms of start-up).
const require = createRequire(import.meta.url);

/** Daemon logs: JSON lines on stderr, so stdout stays for what a user asked for. */
export function createLogger(name: string, level = process.env.SHOAL_LOG_LEVEL ?? 'info'): Logger {
  const { pino } = require('pino') as typeof import('pino');
  return pino({ name, level, base: { pid: process.pid } }, pino.destination(2));
}
