// Original file: proto/shoal/v1/dispatcher.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AgentMessageInput as _shoal_v1_AgentMessageInput, AgentMessage as _shoal_v1_AgentMessage } from '../../shoal/v1/AgentMessage.js';
import type { ManagerMessageInput as _shoal_v1_ManagerMessageInput, ManagerMessage as _shoal_v1_ManagerMessage } from '../../shoal/v1/ManagerMessage.js';

export interface DispatcherClient extends grpc.Client {
  Session(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_shoal_v1_AgentMessageInput, _shoal_v1_ManagerMessage>;
  Session(options?: grpc.CallOptions): grpc.ClientDuplexStream<_shoal_v1_AgentMessageInput, _shoal_v1_ManagerMessage>;
  session(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_shoal_v1_AgentMessageInput, _shoal_v1_ManagerMessage>;
  session(options?: grpc.CallOptions): grpc.ClientDuplexStream<_shoal_v1_AgentMessageInput, _shoal_v1_ManagerMessage>;
  
}

export interface DispatcherHandlers extends grpc.UntypedServiceImplementation {
  Session: grpc.handleBidiStreamingCall<_shoal_v1_AgentMessage, _shoal_v1_ManagerMessageInput>;
  
}

export interface DispatcherDefinition extends grpc.ServiceDefinition {
  Session: MethodDefinition<_shoal_v1_AgentMessageInput, _shoal_v1_ManagerMessageInput, _shoal_v1_AgentMessage, _shoal_v1_ManagerMessage>
}
