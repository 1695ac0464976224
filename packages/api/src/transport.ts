// Every gRPC server and channel of shoal is made here, so transport security is switched on in one place.
import * as grpc from '@grpc/grpc-js';
import { shoalProto } from './proto.js';
import type { ControlClient, ControlHandlers, DispatcherClient, DispatcherHandlers, RaftClient, RaftHandlers, RaftMembershipClient, RaftMembershipHandlers } from './types.js';

const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.keepalive_time_ms': 10_000,
  'grpc.keepalive_timeout_ms': 5_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.max_receive_message_length': 64 * 1024 * 1024,
  // Reconnect quickly: a restarted manager is back within a second.
  'grpc.initial_reconnect_backoff_ms': 200,
  'grpc.max_reconnect_backoff_ms': 2_000,
};

export function newServer(): grpc.Server {
  return new grpc.Server({
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.http2.min_ping_interval_without_data_ms': 5_000,
    'grpc.max_receive_message_length': 64 * 1024 * 1024,
  });
}

export function addControlService(server: grpc.Server, handlers: ControlHandlers): void {
  server.addService(shoalProto().shoal.v1.Control.service, handlers as unknown as grpc.UntypedServiceImplementation);
}

export function addDispatcherService(server: grpc.Server, handlers: DispatcherHandlers): void {
  server.addService(shoalProto().shoal.v1.Dispatcher.service, handlers as unknown as grpc.UntypedServiceImplementation);
}

export function addRaftService(server: grpc.Server, handlers: RaftHandlers): void {
  server.addService(shoalProto().shoal.v1.Raft.service, handlers as unknown as grpc.UntypedServiceImplementation);
}

export function addRaftMembershipService(server: grpc.Server, handlers: RaftMembershipHandlers): void {
  server.addService(shoalProto().shoal.v1.RaftMembership.service, handlers as unknown as grpc.UntypedServiceImplementation);
}

/** Binds "host:port" or "unix:/path"; resolves to the bound port (0 for unix sockets). */
export function bindServer(server: grpc.Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port)));
  });
}

export function stopServer(server: grpc.Server, graceMs = 1_000): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => { server.forceShutdown(); resolve(); }, graceMs);
    server.tryShutdown(() => { clearTimeout(force); resolve(); });
  });
}

export function controlClient(target: string): ControlClient {
  return new (shoalProto().shoal.v1.Control)(target, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
}

export function dispatcherClient(target: string): DispatcherClient {
  return new (shoalProto().shoal.v1.Dispatcher)(target, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
}

export function raftClient(target: string): RaftClient {
  return new (shoalProto().shoal.v1.Raft)(target, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
}

export function raftMembershipClient(target: string): RaftMembershipClient {
  return new (shoalProto().shoal.v1.RaftMembership)(target, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
}

/** A channel for calls whose method is only known at run time: a manager forwarding control calls to the leader. */
export function forwardingClient(target: string): grpc.Client {
  return new grpc.Client(target, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
}

/** The control service's methods (paths, serializers), for forwarding them. */
export function controlServiceDefinition(): grpc.ServiceDefinition {
  return shoalProto().shoal.v1.Control.service;
}

type UnaryMethod<Req, Res> = (req: Req, options: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: Res) => void) => unknown;

/** Calls a unary method as a promise, with a deadline. */
export function call<Req, Res>(method: UnaryMethod<Req, Res>, req: Req, timeoutMs = 10_000): Promise<Res> {
  return new Promise((resolve, reject) => {
    method(req, { deadline: Date.now() + timeoutMs }, (err, res) => (err ? reject(err) : resolve(res as Res)));
  });
}
