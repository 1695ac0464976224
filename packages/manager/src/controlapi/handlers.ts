import { toServiceError, type ServiceError } from '@shoal/api';
import type { ServerUnaryCall, sendUnaryData, ServerWritableStream } from '@grpc/grpc-js';

/** Adapts an async function to a gRPC unary handler; thrown shoal errors become their gRPC status here. */
export function unary<Req, Res>(fn: (req: Req) => Promise<Res>) {
  return (call: ServerUnaryCall<Req, Res>, cb: sendUnaryData<Res>) => {
    fn(call.request).then((res) => cb(null, res), (err: unknown) => cb(toServiceError(err) as ServiceError));
  };
}

/** Adapts an async producer to a server-streaming handler; onCancel registers what to do when the client leaves. */
export function serverStream<Req, Res>(fn: (req: Req, write: (r: Res) => void, onCancel: (f: () => void) => void) => Promise<void>) {
  return (call: ServerWritableStream<Req, Res>) => {
    const onCancel = (f: () => void) => { call.on('cancelled', f); };
    fn(call.request, (r) => { if (!call.cancelled) call.write(r); }, onCancel).then(
      () => call.end(),
      (err: unknown) => call.emit('error', toServiceError(err)),
    );
  };
}
