import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AnnotationsInput as _shoal_v1_AnnotationsInput, Annotations as _shoal_v1_Annotations } from './shoal/v1/Annotations.js';
import type { BackendInput as _shoal_v1_BackendInput, Backend as _shoal_v1_Backend } from './shoal/v1/Backend.js';
import type { ClusterInput as _shoal_v1_ClusterInput, Cluster as _shoal_v1_Cluster } from './shoal/v1/Cluster.js';
import type { ClusterSpecInput as _shoal_v1_ClusterSpecInput, ClusterSpec as _shoal_v1_ClusterSpec } from './shoal/v1/ClusterSpec.js';
import type { ContainerSpecInput as _shoal_v1_ContainerSpecInput, ContainerSpec as _shoal_v1_ContainerSpec } from './shoal/v1/ContainerSpec.js';
import type { ContainerStatusInput as _shoal_v1_ContainerStatusInput, ContainerStatus as _shoal_v1_ContainerStatus } from './shoal/v1/ContainerStatus.js';
import type { EndpointInput as _shoal_v1_EndpointInput, Endpoint as _shoal_v1_Endpoint } from './shoal/v1/Endpoint.js';
import type { EndpointSpecInput as _shoal_v1_EndpointSpecInput, EndpointSpec as _shoal_v1_EndpointSpec } from './shoal/v1/EndpointSpec.js';
import type { HealthConfigInput as _shoal_v1_HealthConfigInput, HealthConfig as _shoal_v1_HealthConfig } from './shoal/v1/HealthConfig.js';
import type { LogLineInput as _shoal_v1_LogLineInput, LogLine as _shoal_v1_LogLine } from './shoal/v1/LogLine.js';
import type { ManagerStatusInput as _shoal_v1_ManagerStatusInput, ManagerStatus as _shoal_v1_ManagerStatus } from './shoal/v1/ManagerStatus.js';
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
import type { RaftTimingInput as _shoal_v1_RaftTimingInput, RaftTiming as _shoal_v1_RaftTiming } from './shoal/v1/RaftTiming.js';
import type { RegistryAuthInput as _shoal_v1_RegistryAuthInput, RegistryAuth as _shoal_v1_RegistryAuth } from './shoal/v1/RegistryAuth.js';
import type { ResourceRequirementsInput as _shoal_v1_ResourceRequirementsInput, ResourceRequirements as _shoal_v1_ResourceRequirements } from './shoal/v1/ResourceRequirements.js';
import type { ResourcesInput as _shoal_v1_ResourcesInput, Resources as _shoal_v1_Resources } from './shoal/v1/Resources.js';
import type { RestartPolicyInput as _shoal_v1_RestartPolicyInput, RestartPolicy as _shoal_v1_RestartPolicy } from './shoal/v1/RestartPolicy.js';
import type { ServiceInput as _shoal_v1_ServiceInput, Service as _shoal_v1_Service } from './shoal/v1/Service.js';
import type { ServiceSpecInput as _shoal_v1_ServiceSpecInput, ServiceSpec as _shoal_v1_ServiceSpec } from './shoal/v1/ServiceSpec.js';
import type { TaskInput as _shoal_v1_TaskInput, Task as _shoal_v1_Task } from './shoal/v1/Task.js';
import type { TaskSpecInput as _shoal_v1_TaskSpecInput, TaskSpec as _shoal_v1_TaskSpec } from './shoal/v1/TaskSpec.js';
import type { TaskStatusInput as _shoal_v1_TaskStatusInput, TaskStatus as _shoal_v1_TaskStatus } from './shoal/v1/TaskStatus.js';
import type { UpdateConfigInput as _shoal_v1_UpdateConfigInput, UpdateConfig as _shoal_v1_UpdateConfig } from './shoal/v1/UpdateConfig.js';
import type { UpdateStatusInput as _shoal_v1_UpdateStatusInput, UpdateStatus as _shoal_v1_UpdateStatus } from './shoal/v1/UpdateStatus.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  shoal: {
    v1: {
      Annotations: MessageTypeDefinition<_shoal_v1_AnnotationsInput, _shoal_v1_Annotations>
      Backend: MessageTypeDefinition<_shoal_v1_BackendInput, _shoal_v1_Backend>
      Cluster: MessageTypeDefinition<_shoal_v1_ClusterInput, _shoal_v1_Cluster>
      ClusterSpec: MessageTypeDefinition<_shoal_v1_ClusterSpecInput, _shoal_v1_ClusterSpec>
      ContainerSpec: MessageTypeDefinition<_shoal_v1_ContainerSpecInput, _shoal_v1_ContainerSpec>
      ContainerStatus: MessageTypeDefinition<_shoal_v1_ContainerStatusInput, _shoal_v1_ContainerStatus>
      Endpoint: MessageTypeDefinition<_shoal_v1_EndpointInput, _shoal_v1_Endpoint>
      EndpointSpec: MessageTypeDefinition<_shoal_v1_EndpointSpecInput, _shoal_v1_EndpointSpec>
      HealthConfig: MessageTypeDefinition<_shoal_v1_HealthConfigInput, _shoal_v1_HealthConfig>
      LogLine: MessageTypeDefinition<_shoal_v1_LogLineInput, _shoal_v1_LogLine>
      ManagerStatus: MessageTypeDefinition<_shoal_v1_ManagerStatusInput, _shoal_v1_ManagerStatus>
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
      RaftTiming: MessageTypeDefinition<_shoal_v1_RaftTimingInput, _shoal_v1_RaftTiming>
      RegistryAuth: MessageTypeDefinition<_shoal_v1_RegistryAuthInput, _shoal_v1_RegistryAuth>
      ResourceRequirements: MessageTypeDefinition<_shoal_v1_ResourceRequirementsInput, _shoal_v1_ResourceRequirements>
      Resources: MessageTypeDefinition<_shoal_v1_ResourcesInput, _shoal_v1_Resources>
      RestartPolicy: MessageTypeDefinition<_shoal_v1_RestartPolicyInput, _shoal_v1_RestartPolicy>
      Service: MessageTypeDefinition<_shoal_v1_ServiceInput, _shoal_v1_Service>
      ServiceSpec: MessageTypeDefinition<_shoal_v1_ServiceSpecInput, _shoal_v1_ServiceSpec>
      Task: MessageTypeDefinition<_shoal_v1_TaskInput, _shoal_v1_Task>
      TaskSpec: MessageTypeDefinition<_shoal_v1_TaskSpecInput, _shoal_v1_TaskSpec>
      TaskState: EnumTypeDefinition
      TaskStatus: MessageTypeDefinition<_shoal_v1_TaskStatusInput, _shoal_v1_TaskStatus>
      UpdateConfig: MessageTypeDefinition<_shoal_v1_UpdateConfigInput, _shoal_v1_UpdateConfig>
      UpdateStatus: MessageTypeDefinition<_shoal_v1_UpdateStatusInput, _shoal_v1_UpdateStatus>
    }
  }
}

