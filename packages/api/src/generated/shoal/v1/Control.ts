// Original file: proto/shoal/v1/control.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ClusterInput as _shoal_v1_ClusterInput, Cluster as _shoal_v1_Cluster } from '../../shoal/v1/Cluster.js';
import type { CreateServiceRequestInput as _shoal_v1_CreateServiceRequestInput, CreateServiceRequest as _shoal_v1_CreateServiceRequest } from '../../shoal/v1/CreateServiceRequest.js';
import type { EmptyInput as _shoal_v1_EmptyInput, Empty as _shoal_v1_Empty } from '../../shoal/v1/Empty.js';
import type { EventInput as _shoal_v1_EventInput, Event as _shoal_v1_Event } from '../../shoal/v1/Event.js';
import type { EventsRequestInput as _shoal_v1_EventsRequestInput, EventsRequest as _shoal_v1_EventsRequest } from '../../shoal/v1/EventsRequest.js';
import type { GetInfoRequestInput as _shoal_v1_GetInfoRequestInput, GetInfoRequest as _shoal_v1_GetInfoRequest } from '../../shoal/v1/GetInfoRequest.js';
import type { InfoInput as _shoal_v1_InfoInput, Info as _shoal_v1_Info } from '../../shoal/v1/Info.js';
import type { JoinTokenRequestInput as _shoal_v1_JoinTokenRequestInput, JoinTokenRequest as _shoal_v1_JoinTokenRequest } from '../../shoal/v1/JoinTokenRequest.js';
import type { JoinTokenResponseInput as _shoal_v1_JoinTokenResponseInput, JoinTokenResponse as _shoal_v1_JoinTokenResponse } from '../../shoal/v1/JoinTokenResponse.js';
import type { ListTasksRequestInput as _shoal_v1_ListTasksRequestInput, ListTasksRequest as _shoal_v1_ListTasksRequest } from '../../shoal/v1/ListTasksRequest.js';
import type { LogLineInput as _shoal_v1_LogLineInput, LogLine as _shoal_v1_LogLine } from '../../shoal/v1/LogLine.js';
import type { NodeInput as _shoal_v1_NodeInput, Node as _shoal_v1_Node } from '../../shoal/v1/Node.js';
import type { NodeListInput as _shoal_v1_NodeListInput, NodeList as _shoal_v1_NodeList } from '../../shoal/v1/NodeList.js';
import type { RefInput as _shoal_v1_RefInput, Ref as _shoal_v1_Ref } from '../../shoal/v1/Ref.js';
import type { RemoveNodeRequestInput as _shoal_v1_RemoveNodeRequestInput, RemoveNodeRequest as _shoal_v1_RemoveNodeRequest } from '../../shoal/v1/RemoveNodeRequest.js';
import type { ServiceInput as _shoal_v1_ServiceInput, Service as _shoal_v1_Service } from '../../shoal/v1/Service.js';
import type { ServiceListInput as _shoal_v1_ServiceListInput, ServiceList as _shoal_v1_ServiceList } from '../../shoal/v1/ServiceList.js';
import type { ServiceLogsRequestInput as _shoal_v1_ServiceLogsRequestInput, ServiceLogsRequest as _shoal_v1_ServiceLogsRequest } from '../../shoal/v1/ServiceLogsRequest.js';
import type { TaskListInput as _shoal_v1_TaskListInput, TaskList as _shoal_v1_TaskList } from '../../shoal/v1/TaskList.js';
import type { UpdateClusterRequestInput as _shoal_v1_UpdateClusterRequestInput, UpdateClusterRequest as _shoal_v1_UpdateClusterRequest } from '../../shoal/v1/UpdateClusterRequest.js';
import type { UpdateNodeRequestInput as _shoal_v1_UpdateNodeRequestInput, UpdateNodeRequest as _shoal_v1_UpdateNodeRequest } from '../../shoal/v1/UpdateNodeRequest.js';
import type { UpdateServiceRequestInput as _shoal_v1_UpdateServiceRequestInput, UpdateServiceRequest as _shoal_v1_UpdateServiceRequest } from '../../shoal/v1/UpdateServiceRequest.js';

export interface ControlClient extends grpc.Client {
  CreateService(argument: _shoal_v1_CreateServiceRequestInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Service>): grpc.ClientUnaryCall;
  CreateService(argument: _shoal_v1_CreateServiceRequestInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Service>): grpc.ClientUnaryCall;
  CreateService(argument: _shoal_v1_CreateServiceRequestInput, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Service>): grpc.ClientUnaryCall;
  CreateService(argument: _shoal_v1_CreateServiceRequestInput, callback: grpc.requestCallback<_shoal_v1_Service>): grpc.ClientUnaryCall;
  createService(argument: _shoal_v1_CreateServiceRequestInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Service>): grpc.ClientUnaryCall;
  createService(argument: _shoal_v1_CreateServiceRequestInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Service>): grpc.ClientUnaryCall;
  createService(argument: _shoal_v1_CreateServiceRequestInput, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Service>): grpc.ClientUnaryCall;
  createService(argument: _shoal_v1_CreateServiceRequestInput, callback: grpc.requestCallback<_shoal_v1_Service>): grpc.ClientUnaryCall;
  
  Events(argument: _shoal_v1_EventsRequestInput, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_Event>;
  Events(argument: _shoal_v1_EventsRequestInput, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_Event>;
  events(argument: _shoal_v1_EventsRequestInput, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_Event>;
  events(argument: _shoal_v1_EventsRequestInput, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_Event>;
  
  GetCluster(argument: _shoal_v1_EmptyInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Cluster>): grpc.ClientUnaryCall;
  GetCluster(argument: _shoal_v1_EmptyInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Cluster>): grpc.ClientUnaryCall;
  GetCluster(argument: _shoal_v1_EmptyInput, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Cluster>): grpc.ClientUnaryCall;
  GetCluster(argument: _shoal_v1_EmptyInput, callback: grpc.requestCallback<_shoal_v1_Cluster>): grpc.ClientUnaryCall;
  getCluster(argument: _shoal_v1_EmptyInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Cluster>): grpc.ClientUnaryCall;
  getCluster(argument: _shoal_v1_EmptyInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Cluster>): grpc.ClientUnaryCall;
  getCluster(argument: _shoal_v1_EmptyInput, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Cluster>): grpc.ClientUnaryCall;
  getCluster(argument: _shoal_v1_EmptyInput, callback: grpc.requestCallback<_shoal_v1_Cluster>): grpc.ClientUnaryCall;
  
  GetInfo(argument: _shoal_v1_GetInfoRequestInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Info>): grpc.ClientUnaryCall;
  GetInfo(argument: _shoal_v1_GetInfoRequestInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Info>): grpc.ClientUnaryCall;
  GetInfo(argument: _shoal_v1_GetInfoRequestInput, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Info>): grpc.ClientUnaryCall;
  GetInfo(argument: _shoal_v1_GetInfoRequestInput, callback: grpc.requestCallback<_shoal_v1_Info>): grpc.ClientUnaryCall;
  getInfo(argument: _shoal_v1_GetInfoRequestInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Info>): grpc.ClientUnaryCall;
  getInfo(argument: _shoal_v1_GetInfoRequestInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Info>): grpc.ClientUnaryCall;
  getInfo(argument: _shoal_v1_GetInfoRequestInput, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Info>): grpc.ClientUnaryCall;
  getInfo(argument: _shoal_v1_GetInfoRequestInput, callback: grpc.requestCallback<_shoal_v1_Info>): grpc.ClientUnaryCall;
  
  GetJoinToken(argument: _shoal_v1_JoinTokenRequestInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_JoinTokenResponse>): grpc.ClientUnaryCall;
  GetJoinToken(argument: _shoal_v1_JoinTokenRequestInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_JoinTokenResponse>): grpc.ClientUnaryCall;
  GetJoinToken(argument: _shoal_v1_JoinTokenRequestInput, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_JoinTokenResponse>): grpc.ClientUnaryCall;
  GetJoinToken(argument: _shoal_v1_JoinTokenRequestInput, callback: grpc.requestCallback<_shoal_v1_JoinTokenResponse>): grpc.ClientUnaryCall;
  getJoinToken(argument: _shoal_v1_JoinTokenRequestInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_JoinTokenResponse>): grpc.ClientUnaryCall;
  getJoinToken(argument: _shoal_v1_JoinTokenRequestInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_JoinTokenResponse>): grpc.ClientUnaryCall;
  getJoinToken(argument: _shoal_v1_JoinTokenRequestInput, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_JoinTokenResponse>): grpc.ClientUnaryCall;
  getJoinToken(argument: _shoal_v1_JoinTokenRequestInput, callback: grpc.requestCallback<_shoal_v1_JoinTokenResponse>): grpc.ClientUnaryCall;
  
  GetNode(argument: _shoal_v1_RefInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Node>): grpc.ClientUnaryCall;
  GetNode(argument: _shoal_v1_RefInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Node>): grpc.ClientUnaryCall;
  GetNode(argument: _shoal_v1_RefInput, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Node>): grpc.ClientUnaryCall;
  GetNode(argument: _shoal_v1_RefInput, callback: grpc.requestCallback<_shoal_v1_Node>): grpc.ClientUnaryCall;
  getNode(argument: _shoal_v1_RefInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Node>): grpc.ClientUnaryCall;
  getNode(argument: _shoal_v1_RefInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Node>): grpc.ClientUnaryCall;
  getNode(argument: _shoal_v1_RefInput, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Node>): grpc.ClientUnaryCall;
  getNode(argument: _shoal_v1_RefInput, callback: grpc.requestCallback<_shoal_v1_Node>): grpc.ClientUnaryCall;
  
  GetService(argument: _shoal_v1_RefInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Service>): grpc.ClientUnaryCall;
  GetService(argument: _shoal_v1_RefInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Service>): grpc.ClientUnaryCall;
  GetService(argument: _shoal_v1_RefInput, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Service>): grpc.ClientUnaryCall;
  GetService(argument: _shoal_v1_RefInput, callback: grpc.requestCallback<_shoal_v1_Service>): grpc.ClientUnaryCall;
  getService(argument: _shoal_v1_RefInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Service>): grpc.ClientUnaryCall;
  getService(argument: _shoal_v1_RefInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Service>): grpc.ClientUnaryCall;
  getService(argument: _shoal_v1_RefInput, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Service>): grpc.ClientUnaryCall;
  getService(argument: _shoal_v1_RefInput, callback: grpc.requestCallback<_shoal_v1_Service>): grpc.ClientUnaryCall;
  
  ListNodes(argument: _shoal_v1_EmptyInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_NodeList>): grpc.ClientUnaryCall;
  ListNodes(argument: _shoal_v1_EmptyInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_NodeList>): grpc.ClientUnaryCall;
  ListNodes(argument: _shoal_v1_EmptyInput, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_NodeList>): grpc.ClientUnaryCall;
  ListNodes(argument: _shoal_v1_EmptyInput, callback: grpc.requestCallback<_shoal_v1_NodeList>): grpc.ClientUnaryCall;
  listNodes(argument: _shoal_v1_EmptyInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_NodeList>): grpc.ClientUnaryCall;
  listNodes(argument: _shoal_v1_EmptyInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_NodeList>): grpc.ClientUnaryCall;
  listNodes(argument: _shoal_v1_EmptyInput, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_NodeList>): grpc.ClientUnaryCall;
  listNodes(argument: _shoal_v1_EmptyInput, callback: grpc.requestCallback<_shoal_v1_NodeList>): grpc.ClientUnaryCall;
  
  ListServices(argument: _shoal_v1_EmptyInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ServiceList>): grpc.ClientUnaryCall;
  ListServices(argument: _shoal_v1_EmptyInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ServiceList>): grpc.ClientUnaryCall;
  ListServices(argument: _shoal_v1_EmptyInput, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ServiceList>): grpc.ClientUnaryCall;
  ListServices(argument: _shoal_v1_EmptyInput, callback: grpc.requestCallback<_shoal_v1_ServiceList>): grpc.ClientUnaryCall;
  listServices(argument: _shoal_v1_EmptyInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ServiceList>): grpc.ClientUnaryCall;
  listServices(argument: _shoal_v1_EmptyInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ServiceList>): grpc.ClientUnaryCall;
  listServices(argument: _shoal_v1_EmptyInput, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ServiceList>): grpc.ClientUnaryCall;
  listServices(argument: _shoal_v1_EmptyInput, callback: grpc.requestCallback<_shoal_v1_ServiceList>): grpc.ClientUnaryCall;
  
  ListTasks(argument: _shoal_v1_ListTasksRequestInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_TaskList>): grpc.ClientUnaryCall;
  ListTasks(argument: _shoal_v1_ListTasksRequestInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_TaskList>): grpc.ClientUnaryCall;
  ListTasks(argument: _shoal_v1_ListTasksRequestInput, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_TaskList>): grpc.ClientUnaryCall;
  ListTasks(argument: _shoal_v1_ListTasksRequestInput, callback: grpc.requestCallback<_shoal_v1_TaskList>): grpc.ClientUnaryCall;
  listTasks(argument: _shoal_v1_ListTasksRequestInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_TaskList>): grpc.ClientUnaryCall;
  listTasks(argument: _shoal_v1_ListTasksRequestInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_TaskList>): grpc.ClientUnaryCall;
  listTasks(argument: _shoal_v1_ListTasksRequestInput, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_TaskList>): grpc.ClientUnaryCall;
  listTasks(argument: _shoal_v1_ListTasksRequestInput, callback: grpc.requestCallback<_shoal_v1_TaskList>): grpc.ClientUnaryCall;
  
  RemoveNode(argument: _shoal_v1_RemoveNodeRequestInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty>): grpc.ClientUnaryCall;
  RemoveNode(argument: _shoal_v1_RemoveNodeRequestInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Empty>): grpc.ClientUnaryCall;
  RemoveNode(argument: _shoal_v1_RemoveNodeRequestInput, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty>): grpc.ClientUnaryCall;
  RemoveNode(argument: _shoal_v1_RemoveNodeRequestInput, callback: grpc.requestCallback<_shoal_v1_Empty>): grpc.ClientUnaryCall;
  removeNode(argument: _shoal_v1_RemoveNodeRequestInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty>): grpc.ClientUnaryCall;
  removeNode(argument: _shoal_v1_RemoveNodeRequestInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Empty>): grpc.ClientUnaryCall;
  removeNode(argument: _shoal_v1_RemoveNodeRequestInput, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty>): grpc.ClientUnaryCall;
  removeNode(argument: _shoal_v1_RemoveNodeRequestInput, callback: grpc.requestCallback<_shoal_v1_Empty>): grpc.ClientUnaryCall;
  
  RemoveService(argument: _shoal_v1_RefInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty>): grpc.ClientUnaryCall;
  RemoveService(argument: _shoal_v1_RefInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Empty>): grpc.ClientUnaryCall;
  RemoveService(argument: _shoal_v1_RefInput, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty>): grpc.ClientUnaryCall;
  RemoveService(argument: _shoal_v1_RefInput, callback: grpc.requestCallback<_shoal_v1_Empty>): grpc.ClientUnaryCall;
  removeService(argument: _shoal_v1_RefInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty>): grpc.ClientUnaryCall;
  removeService(argument: _shoal_v1_RefInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Empty>): grpc.ClientUnaryCall;
  removeService(argument: _shoal_v1_RefInput, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty>): grpc.ClientUnaryCall;
  removeService(argument: _shoal_v1_RefInput, callback: grpc.requestCallback<_shoal_v1_Empty>): grpc.ClientUnaryCall;
  
  ServiceLogs(argument: _shoal_v1_ServiceLogsRequestInput, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_LogLine>;
  ServiceLogs(argument: _shoal_v1_ServiceLogsRequestInput, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_LogLine>;
  serviceLogs(argument: _shoal_v1_ServiceLogsRequestInput, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_LogLine>;
  serviceLogs(argument: _shoal_v1_ServiceLogsRequestInput, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_LogLine>;
  
  UpdateCluster(argument: _shoal_v1_UpdateClusterRequestInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Cluster>): grpc.ClientUnaryCall;
  UpdateCluster(argument: _shoal_v1_UpdateClusterRequestInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Cluster>): grpc.ClientUnaryCall;
  UpdateCluster(argument: _shoal_v1_UpdateClusterRequestInput, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Cluster>): grpc.ClientUnaryCall;
  UpdateCluster(argument: _shoal_v1_UpdateClusterRequestInput, callback: grpc.requestCallback<_shoal_v1_Cluster>): grpc.ClientUnaryCall;
  updateCluster(argument: _shoal_v1_UpdateClusterRequestInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Cluster>): grpc.ClientUnaryCall;
  updateCluster(argument: _shoal_v1_UpdateClusterRequestInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Cluster>): grpc.ClientUnaryCall;
  updateCluster(argument: _shoal_v1_UpdateClusterRequestInput, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Cluster>): grpc.ClientUnaryCall;
  updateCluster(argument: _shoal_v1_UpdateClusterRequestInput, callback: grpc.requestCallback<_shoal_v1_Cluster>): grpc.ClientUnaryCall;
  
  UpdateNode(argument: _shoal_v1_UpdateNodeRequestInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Node>): grpc.ClientUnaryCall;
  UpdateNode(argument: _shoal_v1_UpdateNodeRequestInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Node>): grpc.ClientUnaryCall;
  UpdateNode(argument: _shoal_v1_UpdateNodeRequestInput, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Node>): grpc.ClientUnaryCall;
  UpdateNode(argument: _shoal_v1_UpdateNodeRequestInput, callback: grpc.requestCallback<_shoal_v1_Node>): grpc.ClientUnaryCall;
  updateNode(argument: _shoal_v1_UpdateNodeRequestInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Node>): grpc.ClientUnaryCall;
  updateNode(argument: _shoal_v1_UpdateNodeRequestInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Node>): grpc.ClientUnaryCall;
  updateNode(argument: _shoal_v1_UpdateNodeRequestInput, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Node>): grpc.ClientUnaryCall;
  updateNode(argument: _shoal_v1_UpdateNodeRequestInput, callback: grpc.requestCallback<_shoal_v1_Node>): grpc.ClientUnaryCall;
  
  UpdateService(argument: _shoal_v1_UpdateServiceRequestInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Service>): grpc.ClientUnaryCall;
  UpdateService(argument: _shoal_v1_UpdateServiceRequestInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Service>): grpc.ClientUnaryCall;
  UpdateService(argument: _shoal_v1_UpdateServiceRequestInput, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Service>): grpc.ClientUnaryCall;
  UpdateService(argument: _shoal_v1_UpdateServiceRequestInput, callback: grpc.requestCallback<_shoal_v1_Service>): grpc.ClientUnaryCall;
  updateService(argument: _shoal_v1_UpdateServiceRequestInput, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Service>): grpc.ClientUnaryCall;
  updateService(argument: _shoal_v1_UpdateServiceRequestInput, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Service>): grpc.ClientUnaryCall;
  updateService(argument: _shoal_v1_UpdateServiceRequestInput, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Service>): grpc.ClientUnaryCall;
  updateService(argument: _shoal_v1_UpdateServiceRequestInput, callback: grpc.requestCallback<_shoal_v1_Service>): grpc.ClientUnaryCall;
  
}

export interface ControlHandlers extends grpc.UntypedServiceImplementation {
  CreateService: grpc.handleUnaryCall<_shoal_v1_CreateServiceRequest, _shoal_v1_ServiceInput>;
  
  Events: grpc.handleServerStreamingCall<_shoal_v1_EventsRequest, _shoal_v1_EventInput>;
  
  GetCluster: grpc.handleUnaryCall<_shoal_v1_Empty, _shoal_v1_ClusterInput>;
  
  GetInfo: grpc.handleUnaryCall<_shoal_v1_GetInfoRequest, _shoal_v1_InfoInput>;
  
  GetJoinToken: grpc.handleUnaryCall<_shoal_v1_JoinTokenRequest, _shoal_v1_JoinTokenResponseInput>;
  
  GetNode: grpc.handleUnaryCall<_shoal_v1_Ref, _shoal_v1_NodeInput>;
  
  GetService: grpc.handleUnaryCall<_shoal_v1_Ref, _shoal_v1_ServiceInput>;
  
  ListNodes: grpc.handleUnaryCall<_shoal_v1_Empty, _shoal_v1_NodeListInput>;
  
  ListServices: grpc.handleUnaryCall<_shoal_v1_Empty, _shoal_v1_ServiceListInput>;
  
  ListTasks: grpc.handleUnaryCall<_shoal_v1_ListTasksRequest, _shoal_v1_TaskListInput>;
  
  RemoveNode: grpc.handleUnaryCall<_shoal_v1_RemoveNodeRequest, _shoal_v1_EmptyInput>;
  
  RemoveService: grpc.handleUnaryCall<_shoal_v1_Ref, _shoal_v1_EmptyInput>;
  
  ServiceLogs: grpc.handleServerStreamingCall<_shoal_v1_ServiceLogsRequest, _shoal_v1_LogLineInput>;
  
  UpdateCluster: grpc.handleUnaryCall<_shoal_v1_UpdateClusterRequest, _shoal_v1_ClusterInput>;
  
  UpdateNode: grpc.handleUnaryCall<_shoal_v1_UpdateNodeRequest, _shoal_v1_NodeInput>;
  
  UpdateService: grpc.handleUnaryCall<_shoal_v1_UpdateServiceRequest, _shoal_v1_ServiceInput>;
  
}

export interface ControlDefinition extends grpc.ServiceDefinition {
  CreateService: MethodDefinition<_shoal_v1_CreateServiceRequestInput, _shoal_v1_ServiceInput, _shoal_v1_CreateServiceRequest, _shoal_v1_Service>
  Events: MethodDefinition<_shoal_v1_EventsRequestInput, _shoal_v1_EventInput, _shoal_v1_EventsRequest, _shoal_v1_Event>
  GetCluster: MethodDefinition<_shoal_v1_EmptyInput, _shoal_v1_ClusterInput, _shoal_v1_Empty, _shoal_v1_Cluster>
  GetInfo: MethodDefinition<_shoal_v1_GetInfoRequestInput, _shoal_v1_InfoInput, _shoal_v1_GetInfoRequest, _shoal_v1_Info>
  GetJoinToken: MethodDefinition<_shoal_v1_JoinTokenRequestInput, _shoal_v1_JoinTokenResponseInput, _shoal_v1_JoinTokenRequest, _shoal_v1_JoinTokenResponse>
  GetNode: MethodDefinition<_shoal_v1_RefInput, _shoal_v1_NodeInput, _shoal_v1_Ref, _shoal_v1_Node>
  GetService: MethodDefinition<_shoal_v1_RefInput, _shoal_v1_ServiceInput, _shoal_v1_Ref, _shoal_v1_Service>
  ListNodes: MethodDefinition<_shoal_v1_EmptyInput, _shoal_v1_NodeListInput, _shoal_v1_Empty, _shoal_v1_NodeList>
  ListServices: MethodDefinition<_shoal_v1_EmptyInput, _shoal_v1_ServiceListInput, _shoal_v1_Empty, _shoal_v1_ServiceList>
  ListTasks: MethodDefinition<_shoal_v1_ListTasksRequestInput, _shoal_v1_TaskListInput, _shoal_v1_ListTasksRequest, _shoal_v1_TaskList>
  RemoveNode: MethodDefinition<_shoal_v1_RemoveNodeRequestInput, _shoal_v1_EmptyInput, _shoal_v1_RemoveNodeRequest, _shoal_v1_Empty>
  RemoveService: MethodDefinition<_shoal_v1_RefInput, _shoal_v1_EmptyInput, _shoal_v1_Ref, _shoal_v1_Empty>
  ServiceLogs: MethodDefinition<_shoal_v1_ServiceLogsRequestInput, _shoal_v1_LogLineInput, _shoal_v1_ServiceLogsRequest, _shoal_v1_LogLine>
  UpdateCluster: MethodDefinition<_shoal_v1_UpdateClusterRequestInput, _shoal_v1_ClusterInput, _shoal_v1_UpdateClusterRequest, _shoal_v1_Cluster>
  UpdateNode: MethodDefinition<_shoal_v1_UpdateNodeRequestInput, _shoal_v1_NodeInput, _shoal_v1_UpdateNodeRequest, _shoal_v1_Node>
  UpdateService: MethodDefinition<_shoal_v1_UpdateServiceRequestInput, _shoal_v1_ServiceInput, _shoal_v1_UpdateServiceRequest, _shoal_v1_Service>
}
