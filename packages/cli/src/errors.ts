import { grpcErrorMessage, isTransportFailure, ShoalError } from '@shoal/api';

/** An error whose message is already what the user should read; main prints `Error: <message>` and exits 1. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'CliError';
  }
}

/** Ends a command with a non-zero exit code after it has printed its own errors (one line per failed item). */
export class FailedExit extends Error {
  constructor(readonly exitCode = 1) {
    super('failed');
    this.name = 'FailedExit';
  }
}

/** Whether a gRPC error means the manager could not be reached at all (as opposed to refusing the call). */
export function isUnreachable(err: unknown): boolean {
  return isTransportFailure(err);
}

/** The single line printed for an error that ends a client command. */
export function errorLine(err: unknown, host: string): string {
  if (isUnreachable(err)) return `cannot reach manager at ${host}`;
  if (err instanceof CliError || err instanceof ShoalError) return `Error: ${err.message}`;
  return `Error: ${grpcErrorMessage(err)}`;
}
