import { NotFoundError, ShoalError, UnavailableError } from '@shoal/api';

// Socket-level failures: the engine is not there (yet), as opposed to the engine refusing a request.
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ETIMEDOUT', 'ENOTCONN', 'EAI_AGAIN']);

interface ModemError {
  code?: unknown;
  statusCode?: unknown;
  json?: unknown;
  message?: unknown;
}

/** The engine's own message for a failed request (without dockerode's "(HTTP code 500) server error -" prefix). */
export function engineMessage(err: unknown): string {
  const json = ((err ?? {}) as ModemError).json;
  if (typeof json === 'string' && json.trim()) return json.trim();
  const message = (json as { message?: unknown } | null | undefined)?.message;
  if (typeof message === 'string') return message;
  return err instanceof Error ? err.message : String(err);
}

export function httpStatus(err: unknown): number | undefined {
  const code = (err as ModemError | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

export function isConnectionError(err: unknown): boolean {
  const e = err as ModemError | null;
  if (typeof e?.code === 'string' && CONNECTION_CODES.has(e.code)) return true;
  return err instanceof Error && /socket hang up|connect E|Timeout/i.test(err.message) && httpStatus(err) === undefined;
}

/** A dockerode failure as a typed error: engine unreachable, not found, or the engine's refusal. */
export function engineError(err: unknown, host: string): Error {
  if (err instanceof ShoalError) return err;
  if (isConnectionError(err)) return new UnavailableError(`cannot reach Docker engine at ${host}: ${engineMessage(err)}`);
  if (httpStatus(err) === 404) return new NotFoundError(engineMessage(err));
  return new ShoalError(engineMessage(err));
}
