import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AgentMessageInput as _shoal_v1_AgentMessageInput, AgentMessage as _shoal_v1_AgentMessage } from './shoal/v1/AgentMessage.js';
import type { AnnotationsInput as _shoal_v1_AnnotationsInput, Annotations as _shoal_v1_Annotations } from './shoal/v1/Annotations.js';
import type { AssignmentsInput as _shoal_v1_AssignmentsInput, Assignments as _shoal_v1_Assignments } from './shoal/v1/Assignments.js';
import type { BackendInput as _shoal_v1_BackendInput, Backend as _shoal_v1_Backend } from './shoal/v1/Backend.js';
import type { BackendChangeInput as _shoal_v1_BackendChangeInput, BackendChange as _shoal_v1_BackendChange } from './shoal/v1/BackendChange.js';
import type { ClusterInput as _shoal_v1_ClusterInput, Cluster as _shoal_v1_Cluster } from './shoal/v1/Cluster.js';
import type { ClusterSpecInput as _shoal_v1_ClusterSpecInput, ClusterSpec as _shoal_v1_ClusterSpec } from './shoal/v1/ClusterSpec.js';
import type { ContainerSpecInput as _shoal_v1_ContainerSpecInput, ContainerSpec as _shoal_v1_ContainerSpec } from './shoal/v1/ContainerSpec.js';
import type { ContainerStatusInput as _shoal_v1_ContainerStatusInput, ContainerStatus as _shoal_v1_ContainerStatus } from './shoal/v1/ContainerStatus.js';
import type { DispatcherClient as _shoal_v1_DispatcherClient, DispatcherDefinition as _shoal_v1_DispatcherDefinition } from './shoal/v1/Dispatcher.js';
import type { EndpointInput as _shoal_v1_EndpointInput, Endpoint as _shoal_v1_Endpoint } from './shoal/v1/Endpoint.js';
import type { EndpointSpecInput as _shoal_v1_EndpointSpecInput, EndpointSpec as _shoal_v1_EndpointSpec } from './shoal/v1/EndpointSpec.js';
import type { EndpointTableInput as _shoal_v1_EndpointTableInput, EndpointTable as _shoal_v1_EndpointTable } from './shoal/v1/EndpointTable.js';
import type { HealthConfigInput as _shoal_v1_HealthConfigInput, HealthConfig as _shoal_v1_HealthConfig } from './shoal/v1/HealthConfig.js';
import type { HeartbeatInput as _shoal_v1_HeartbeatInput, Heartbeat as _shoal_v1_Heartbeat } from './shoal/v1/Heartbeat.js';
import type { LogBatchInput as _shoal_v1_LogBatchInput, LogBatch as _shoal_v1_LogBatch } from './shoal/v1/LogBatch.js';
import type { LogLineInput as _shoal_v1_LogLineInput, LogLine as _shoal_v1_LogLine } from './shoal/v1/LogLine.js';
import type { LogSubscriptionInput as _shoal_v1_LogSubscriptionInput, LogSubscription as _shoal_v1_LogSubscription } from './shoal/v1/LogSubscription.js';
import type { ManagerMessageInput as _shoal_v1_ManagerMessageInput, ManagerMessage as _shoal_v1_ManagerMessage } from './shoal/v1/ManagerMessage.js';
import type { ManagerStatusInput as _shoal_v1_ManagerStatusInput, ManagerStatus as _shoal_v1_ManagerStatus } from './shoal/v1/ManagerStatus.js';
import type { ManagersInput as _shoal_v1_ManagersInput, Managers as _shoal_v1_Managers } from './shoal/v1/Managers.js';
import type { MeshListenerInput as _shoal_v1_MeshListenerInput, MeshListener as _shoal_v1_MeshListener } from './shoal/v1/MeshListener.js';
import type { MetaInput as _shoal_v1_MetaInput, Meta as _shoal_v1_Meta } from './shoal/v1/Meta.js';
import type { MountInput as _shoal_v1_MountInput, Mount as _shoal_v1_Mount } from './shoal/v1/Mount.js';
import type { NodeInput as _shoal_v1_NodeInput, Node as _shoal_v1_Node } from './shoal/v1/Node.js';
import type { NodeDescriptionInput as _shoal_v1_NodeDescriptionInput, NodeDescription as _shoal_v1_NodeDescription } from './shoal/v1/NodeDescription.js';
import type { NodeSpecInput as _shoal_v1_NodeSpecInput, NodeSpec as _shoal_v1_NodeSpec } from './shoal/v1/NodeSpec.js';
import type { NodeStatusInput as _shoal_v1_NodeStatusInput, NodeStatus as _shoal_v1_NodeStatus } from './shoal/v1/NodeStatus.js';
import type { PlacementInput as _shoal_v1_PlacementInput, Placement as _shoal_v1_Placement } from './shoal/v1/Placement.js';
import type { PlatformInput as _shoal_v1_PlatformInput, Platform as _shoal_v1_Platform } from './shoal/v1/Platform.js';
import type { PortConfigInput as _shoal_v1_PortConfigInput, PortConfig as _shoal_v1_PortConfig } from './shoal/v1/PortConfig.js';
import type { PromoteInput as _shoal_v1_PromoteInput, Promote as _shoal_v1_Promote } from './shoal/v1/Promote.js';
import type { RaftTimingInput as _shoal_v1_RaftTimingInput, RaftTiming as _shoal_v1_RaftTiming } from './shoal/v1/RaftTiming.js';
import type { RegisterInput as _shoal_v1_RegisterInput, Register as _shoal_v1_Register } from './shoal/v1/Register.js';
import type { RegisteredInput as _shoal_v1_RegisteredInput, Registered as _shoal_v1_Registered } from './shoal/v1/Registered.js';
import type { RegistryAuthInput as _shoal_v1_RegistryAuthInput, RegistryAuth as _shoal_v1_RegistryAuth } from './shoal/v1/RegistryAuth.js';
import type { ResourceRequirementsInput as _shoal_v1_ResourceRequirementsInput, ResourceRequirements as _shoal_v1_ResourceRequirements } from './shoal/v1/ResourceRequirements.js';
import type { ResourcesInput as _shoal_v1_ResourcesInput, Resources as _shoal_v1_Resources } from './shoal/v1/Resources.js';
import type { RestartPolicyInput as _shoal_v1_RestartPolicyInput, RestartPolicy as _shoal_v1_RestartPolicy } from './shoal/v1/RestartPolicy.js';
import type { ServiceInput as _shoal_v1_ServiceInput, Service as _shoal_v1_Service } from './shoal/v1/Service.js';
import type { ServiceSpecInput as _shoal_v1_ServiceSpecInput, ServiceSpec as _shoal_v1_ServiceSpec } from './shoal/v1/ServiceSpec.js';
import type { StatusBatchInput as _shoal_v1_StatusBatchInput, StatusBatch as _shoal_v1_StatusBatch } from './shoal/v1/StatusBatch.js';
import type { TaskInput as _shoal_v1_TaskInput, Task as _shoal_v1_Task } from './shoal/v1/Task.js';
import type { TaskSpecInput as _shoal_v1_TaskSpecInput, TaskSpec as _shoal_v1_TaskSpec } from './shoal/v1/TaskSpec.js';
import type { TaskStatusInput as _shoal_v1_TaskStatusInput, TaskStatus as _shoal_v1_TaskStatus } from './shoal/v1/TaskStatus.js';
import type { TaskStatusUpdateInput as _shoal_v1_TaskStatusUpdateInput, TaskStatusUpdate as _shoal_v1_TaskStatusUpdate } from './shoal/v1/TaskStatusUpdate.js';
import type { UpdateConfigInput as _shoal_v1_UpdateConfigInput, UpdateConfig as _shoal_v1_UpdateConfig } from './shoal/v1/UpdateConfig.js';
import type { UpdateStatusInput as _shoal_v1_UpdateStatusInput, UpdateStatus as _shoal_v1_UpdateStatus } from './shoal/v1/UpdateStatus.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  shoal: {
    v1: {
      AgentMessage: MessageTypeDefinition<_shoal_v1_AgentMessageInput, _shoal_v1_AgentMessage>
      Annotations: MessageTypeDefinition<_shoal_v1_AnnotationsInput, _shoal_v1_Annotations>
      Assignments: MessageTypeDefinition<_shoal_v1_AssignmentsInput, _shoal_v1_Assignments>
      Backend: MessageTypeDefinition<_shoal_v1_BackendInput, _shoal_v1_Backend>
      BackendChange: MessageTypeDefinition<_shoal_v1_BackendChangeInput, _shoal_v1_BackendChange>
      Cluster: MessageTypeDefinition<_shoal_v1_ClusterInput, _shoal_v1_Cluster>
      ClusterSpec: MessageTypeDefinition<_shoal_v1_ClusterSpecInput, _shoal_v1_ClusterSpec>
      ContainerSpec: MessageTypeDefinition<_shoal_v1_ContainerSpecInput, _shoal_v1_ContainerSpec>
      ContainerStatus: MessageTypeDefinition<_shoal_v1_ContainerStatusInput, _shoal_v1_ContainerStatus>
      Dispatcher: SubtypeConstructor<typeof grpc.Client, _shoal_v1_DispatcherClient> & { service: _shoal_v1_DispatcherDefinition }
      Endpoint: MessageTypeDefinition<_shoal_v1_EndpointInput, _shoal_v1_Endpoint>
      EndpointSpec: MessageTypeDefinition<_shoal_v1_EndpointSpecInput, _shoal_v1_EndpointSpec>
      EndpointTable: MessageTypeDefinition<_shoal_v1_EndpointTableInput, _shoal_v1_EndpointTable>
      HealthConfig: MessageTypeDefinition<_shoal_v1_HealthConfigInput, _shoal_v1_HealthConfig>
      Heartbeat: MessageTypeDefinition<_shoal_v1_HeartbeatInput, _shoal_v1_Heartbeat>
      LogBatch: MessageTypeDefinition<_shoal_v1_LogBatchInput, _shoal_v1_LogBatch>
      LogLine: MessageTypeDefinition<_shoal_v1_LogLineInput, _shoal_v1_LogLine>
      LogSubscription: MessageTypeDefinition<_shoal_v1_LogSubscriptionInput, _shoal_v1_LogSubscription>
      ManagerMessage: MessageTypeDefinition<_shoal_v1_ManagerMessageInput, _shoal_v1_ManagerMessage>
      ManagerStatus: MessageTypeDefinition<_shoal_v1_ManagerStatusInput, _shoal_v1_ManagerStatus>
      Managers: MessageTypeDefinition<_shoal_v1_ManagersInput, _shoal_v1_Managers>
      MeshListener: MessageTypeDefinition<_shoal_v1_MeshListenerInput, _shoal_v1_MeshListener>
      Meta: MessageTypeDefinition<_shoal_v1_MetaInput, _shoal_v1_Meta>
      Mount: MessageTypeDefinition<_shoal_v1_MountInput, _shoal_v1_Mount>
      Node: MessageTypeDefinition<_shoal_v1_NodeInput, _shoal_v1_Node>
      NodeDescription: MessageTypeDefinition<_shoal_v1_NodeDescriptionInput, _shoal_v1_NodeDescription>
      NodeSpec: MessageTypeDefinition<_shoal_v1_NodeSpecInput, _shoal_v1_NodeSpec>
      NodeStatus: MessageTypeDefinition<_shoal_v1_NodeStatusInput, _shoal_v1_NodeStatus>
      Placement: MessageTypeDefinition<_shoal_v1_PlacementInput, _shoal_v1_Placement>
      Platform: MessageTypeDefinition<_shoal_v1_PlatformInput, _shoal_v1_Platform>
      PortConfig: MessageTypeDefinition<_shoal_v1_PortConfigInput, _shoal_v1_PortConfig>
      Promote: MessageTypeDefinition<_shoal_v1_PromoteInput, _shoal_v1_Promote>
      RaftTiming: MessageTypeDefinition<_shoal_v1_RaftTimingInput, _shoal_v1_RaftTiming>
      Register: MessageTypeDefinition<_shoal_v1_RegisterInput, _shoal_v1_Register>
      Registered: MessageTypeDefinition<_shoal_v1_RegisteredInput, _shoal_v1_Registered>
      RegistryAuth: MessageTypeDefinition<_shoal_v1_RegistryAuthInput, _shoal_v1_RegistryAuth>
      ResourceRequirements: MessageTypeDefinition<_shoal_v1_ResourceRequirementsInput, _shoal_v1_ResourceRequirements>
      Resources: MessageTypeDefinition<_shoal_v1_ResourcesInput, _shoal_v1_Resources>
      RestartPolicy: MessageTypeDefinition<_shoal_v1_RestartPolicyInput, _shoal_v1_RestartPolicy>
      Service: MessageTypeDefinition<_shoal_v1_ServiceInput, _shoal_v1_Service>
      ServiceSpec: MessageTypeDefinition<_shoal_v1_ServiceSpecInput, _shoal_v1_ServiceSpec>
      StatusBatch: MessageTypeDefinition<_shoal_v1_StatusBatchInput, _shoal_v1_StatusBatch>
      Task: MessageTypeDefinition<_shoal_v1_TaskInput, _shoal_v1_Task>
      TaskSpec: MessageTypeDefinition<_shoal_v1_TaskSpecInput, _shoal_v1_TaskSpec>
      TaskState: EnumTypeDefinition
      TaskStatus: MessageTypeDefinition<_shoal_v1_TaskStatusInput, _shoal_v1_TaskStatus>
      TaskStatusUpdate: MessageTypeDefinition<_shoal_v1_TaskStatusUpdateInput, _shoal_v1_TaskStatusUpdate>
      UpdateConfig: MessageTypeDefinition<_shoal_v1_UpdateConfigInput, _shoal_v1_UpdateConfig>
      UpdateStatus: MessageTypeDefinition<_shoal_v1_UpdateStatusInput, _shoal_v1_UpdateStatus>
    }
  }
}

