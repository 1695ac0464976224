// Original file: proto/shoal/v1/raft.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { RaftAckInput as _shoal_v1_RaftAckInput, RaftAck as _shoal_v1_RaftAck } from '../../shoal/v1/RaftAck.js';
import type { RaftEnvelopeInput as _shoal_v1_RaftEnvelopeInput, RaftEnvelope as _shoal_v1_RaftEnvelope } from '../../shoal/v1/RaftEnvelope.js';

export interface RaftClient extends grpc.Client {
  Stream(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RaftAck>): grpc.ClientWritableStream<_shoal_v1_RaftEnvelopeInput>;
  Stream(metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_RaftAck>): grpc.ClientWritableStream<_shoal_v1_RaftEnvelopeInput>;
  Stream(options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RaftAck>): grpc.ClientWritableStream<_shoal_v1_RaftEnvelopeInput>;
  Stream(callback: grpc.requestCallback<_shoal_v1_RaftAck>): grpc.ClientWritableStream<_shoal_v1_RaftEnvelopeInput>;
  stream(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RaftAck>): grpc.ClientWritableStream<_shoal_v1_RaftEnvelopeInput>;
  stream(metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_RaftAck>): grpc.ClientWritableStream<_shoal_v1_RaftEnvelopeInput>;
  stream(options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RaftAck>): grpc.ClientWritableStream<_shoal_v1_RaftEnvelopeInput>;
  stream(callback: grpc.requestCallback<_shoal_v1_RaftAck>): grpc.ClientWritableStream<_shoal_v1_RaftEnvelopeInput>;
  
}

export interface RaftHandlers extends grpc.UntypedServiceImplementation {
  Stream: grpc.handleClientStreamingCall<_shoal_v1_RaftEnvelope, _shoal_v1_RaftAckInput>;
  
}

export interface RaftDefinition extends grpc.ServiceDefinition {
  Stream: MethodDefinition<_shoal_v1_RaftEnvelopeInput, _shoal_v1_RaftAckInput, _shoal_v1_RaftEnvelope, _shoal_v1_RaftAck>
}
