import { pino, type Logger } from 'pino';

export type { Logger };

/** Daemon logs: JSON lines on stderr, so stdout stays for what a user asked for. */
export function createLogger(name: string, level = process.env.SHOAL_LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, base: { pid: process.pid } }, pino.destination(2));
}
