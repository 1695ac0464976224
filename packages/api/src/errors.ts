import * as grpc from '@grpc/grpc-js';

/** Every shoal error has a stable name and a gRPC status; the status is used only at the edges. */
export class ShoalError extends Error {
  readonly code: grpc.status = grpc.status.UNKNOWN;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
export class InvalidArgumentError extends ShoalError { override readonly code = grpc.status.INVALID_ARGUMENT; }
export class NotFoundError extends ShoalError { override readonly code = grpc.status.NOT_FOUND; }
export class AlreadyExistsError extends ShoalError { override readonly code = grpc.status.ALREADY_EXISTS; }
/** A write based on an object version that is no longer current. */
export class SequenceConflictError extends ShoalError { override readonly code = grpc.status.ABORTED; }
export class FailedPreconditionError extends ShoalError { override readonly code = grpc.status.FAILED_PRECONDITION; }
export class UnauthenticatedError extends ShoalError { override readonly code = grpc.status.UNAUTHENTICATED; }
export class PermissionDeniedError extends ShoalError { override readonly code = grpc.status.PERMISSION_DENIED; }
export class UnavailableError extends ShoalError { override readonly code = grpc.status.UNAVAILABLE; }

/** The gRPC status a server edge answers for an error thrown inside. */
export function toServiceError(err: unknown): grpc.ServiceError {
  const code = err instanceof ShoalError ? err.code : grpc.status.INTERNAL;
  const message = err instanceof Error ? err.message : String(err);
  return Object.assign(new Error(message), { code, details: message, metadata: new grpc.Metadata() });
}

/** The plain message of a gRPC error (without the "3 INVALID_ARGUMENT:" prefix). */
export function grpcErrorMessage(err: unknown): string {
  if (err && typeof err === 'object' && 'details' in err && typeof err.details === 'string' && err.details) return err.details;
  return err instanceof Error ? err.message : String(err);
}

export function grpcCode(err: unknown): grpc.status | undefined {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'number') return err.code as grpc.status;
  return undefined;
}

/** How grpc-js words a channel that could not reach its target, as opposed to an UNAVAILABLE the target answered. */
const CONNECT_FAILURE = /No connection established|Connection dropped|Name resolution failed|ECONNREFUSED|ECONNRESET|ENOENT/;

/** Whether the call never got an answer from its target: not connected, or no answer before the deadline. */
export function isTransportFailure(err: unknown): boolean {
  const code = grpcCode(err);
  if (code === grpc.status.DEADLINE_EXCEEDED) return true;
  return code === grpc.status.UNAVAILABLE && CONNECT_FAILURE.test(grpcErrorMessage(err));
}
