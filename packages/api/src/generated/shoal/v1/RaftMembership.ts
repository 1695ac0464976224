// Original file: proto/shoal/v1/raft.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { RaftJoinRequestInput as _shoal_v1_RaftJoinRequestInput, RaftJoinRequest as _shoal_v1_RaftJoinRequest } from '../../shoal/v1/RaftJoinRequest.js';
import type { RaftJoinResponseInput as _shoal_v1_RaftJoinResponseInput, RaftJoinResponse as _shoal_v1_RaftJoinResponse } from '../../shoal/v1/RaftJoinResponse.js';

export interface RaftMembershipClient extends grpc.Client {
  Join(argument: _shoal_v1_RaftJoinRequestInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RaftJoinResponse>): grpc.ClientUnaryCall;
  Join(argument: _shoal_v1_RaftJoinRequestInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_RaftJoinResponse>): grpc.ClientUnaryCall;
  Join(argument: _shoal_v1_RaftJoinRequestInput, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RaftJoinResponse>): grpc.ClientUnaryCall;
  Join(argument: _shoal_v1_RaftJoinRequestInput, callback: grpc.requestCallback<_shoal_v1_RaftJoinResponse>): grpc.ClientUnaryCall;
  join(argument: _shoal_v1_RaftJoinRequestInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RaftJoinResponse>): grpc.ClientUnaryCall;
  join(argument: _shoal_v1_RaftJoinRequestInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_RaftJoinResponse>): grpc.ClientUnaryCall;
  join(argument: _shoal_v1_RaftJoinRequestInput, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RaftJoinResponse>): grpc.ClientUnaryCall;
  join(argument: _shoal_v1_RaftJoinRequestInput, callback: grpc.requestCallback<_shoal_v1_RaftJoinResponse>): grpc.ClientUnaryCall;
  
}

export interface RaftMembershipHandlers extends grpc.UntypedServiceImplementation {
  Join: grpc.handleUnaryCall<_shoal_v1_RaftJoinRequest, _shoal_v1_RaftJoinResponseInput>;
  
}

export interface RaftMembershipDefinition extends grpc.ServiceDefinition {
  Join: MethodDefinition<_shoal_v1_RaftJoinRequestInput, _shoal_v1_RaftJoinResponseInput, _shoal_v1_RaftJoinRequest, _shoal_v1_RaftJoinResponse>
}
