export * from './types.js';
export * from './task-state.js';
export * from './errors.js';
export * from './clock.js';
export * from './ids.js';
export * from './units.js';
export * from './constraints.js';
export * from './transport.js';
export * from './log.js';
export * from './leader-redirect.js';
export * from './events-metadata.js';
export { shoalProto } from './proto.js';
export { status as GrpcStatus, Metadata as GrpcMetadata } from '@grpc/grpc-js';
export type {
  Server as GrpcServer, ServerDuplexStream, ClientDuplexStream, ServerReadableStream, ClientWritableStream, ServiceError,
} from '@grpc/grpc-js';
