import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AnnotationsInput as _shoal_v1_AnnotationsInput, Annotations as _shoal_v1_Annotations } from './shoal/v1/Annotations.js';
import type { BackendInput as _shoal_v1_BackendInput, Backend as _shoal_v1_Backend } from './shoal/v1/Backend.js';
import type { ClusterInput as _shoal_v1_ClusterInput, Cluster as _shoal_v1_Cluster } from './shoal/v1/Cluster.js';
import type { ClusterSpecInput as _shoal_v1_ClusterSpecInput, ClusterSpec as _shoal_v1_ClusterSpec } from './shoal/v1/ClusterSpec.js';
import type { ContainerSpecInput as _shoal_v1_ContainerSpecInput, ContainerSpec as _shoal_v1_ContainerSpec } from './shoal/v1/ContainerSpec.js';
import type { ContainerStatusInput as _shoal_v1_ContainerStatusInput, ContainerStatus as _shoal_v1_ContainerStatus } from './shoal/v1/ContainerStatus.js';
import type { ControlClient as _shoal_v1_ControlClient, ControlDefinition as _shoal_v1_ControlDefinition } from './shoal/v1/Control.js';
import type { CreateServiceRequestInput as _shoal_v1_CreateServiceRequestInput, CreateServiceRequest as _shoal_v1_CreateServiceRequest } from './shoal/v1/CreateServiceRequest.js';
import type { EmptyInput as _shoal_v1_EmptyInput, Empty as _shoal_v1_Empty } from './shoal/v1/Empty.js';
import type { EndpointInput as _shoal_v1_EndpointInput, Endpoint as _shoal_v1_Endpoint } from './shoal/v1/Endpoint.js';
import type { EndpointSpecInput as _shoal_v1_EndpointSpecInput, EndpointSpec as _shoal_v1_EndpointSpec } from './shoal/v1/EndpointSpec.js';
import type { EventInput as _shoal_v1_EventInput, Event as _shoal_v1_Event } from './shoal/v1/Event.js';
import type { EventsRequestInput as _shoal_v1_EventsRequestInput, EventsRequest as _shoal_v1_EventsRequest } from './shoal/v1/EventsRequest.js';
import type { GetInfoRequestInput as _shoal_v1_GetInfoRequestInput, GetInfoRequest as _shoal_v1_GetInfoRequest } from './shoal/v1/GetInfoRequest.js';
import type { HealthConfigInput as _shoal_v1_HealthConfigInput, HealthConfig as _shoal_v1_HealthConfig } from './shoal/v1/HealthConfig.js';
import type { InfoInput as _shoal_v1_InfoInput, Info as _shoal_v1_Info } from './shoal/v1/Info.js';
import type { JoinTokenRequestInput as _shoal_v1_JoinTokenRequestInput, JoinTokenRequest as _shoal_v1_JoinTokenRequest } from './shoal/v1/JoinTokenRequest.js';
import type { JoinTokenResponseInput as _shoal_v1_JoinTokenResponseInput, JoinTokenResponse as _shoal_v1_JoinTokenResponse } from './shoal/v1/JoinTokenResponse.js';
import type { ListTasksRequestInput as _shoal_v1_ListTasksRequestInput, ListTasksRequest as _shoal_v1_ListTasksRequest } from './shoal/v1/ListTasksRequest.js';
import type { LogLineInput as _shoal_v1_LogLineInput, LogLine as _shoal_v1_LogLine } from './shoal/v1/LogLine.js';
import type { ManagerMemberInput as _shoal_v1_ManagerMemberInput, ManagerMember as _shoal_v1_ManagerMember } from './shoal/v1/ManagerMember.js';
import type { ManagerStatusInput as _shoal_v1_ManagerStatusInput, ManagerStatus as _shoal_v1_ManagerStatus } from './shoal/v1/ManagerStatus.js';
import type { MeshListenerInput as _shoal_v1_MeshListenerInput, MeshListener as _shoal_v1_MeshListener } from './shoal/v1/MeshListener.js';
import type { MetaInput as _shoal_v1_MetaInput, Meta as _shoal_v1_Meta } from './shoal/v1/Meta.js';
import type { MountInput as _shoal_v1_MountInput, Mount as _shoal_v1_Mount } from './shoal/v1/Mount.js';
import type { NodeInput as _shoal_v1_NodeInput, Node as _shoal_v1_Node } from './shoal/v1/Node.js';
import type { NodeDescriptionInput as _shoal_v1_NodeDescriptionInput, NodeDescription as _shoal_v1_NodeDescription } from './shoal/v1/NodeDescription.js';
import type { NodeListInput as _shoal_v1_NodeListInput, NodeList as _shoal_v1_NodeList } from './shoal/v1/NodeList.js';
import type { NodeSpecInput as _shoal_v1_NodeSpecInput, NodeSpec as _shoal_v1_NodeSpec } from './shoal/v1/NodeSpec.js';
import type { NodeStatusInput as _shoal_v1_NodeStatusInput, NodeStatus as _shoal_v1_NodeStatus } from './shoal/v1/NodeStatus.js';
import type { PlacementInput as _shoal_v1_PlacementInput, Placement as _shoal_v1_Placement } from './shoal/v1/Placement.js';
import type { PlatformInput as _shoal_v1_PlatformInput, Platform as _shoal_v1_Platform } from './shoal/v1/Platform.js';
import type { PortConfigInput as _shoal_v1_PortConfigInput, PortConfig as _shoal_v1_PortConfig } from './shoal/v1/PortConfig.js';
import type { RaftTimingInput as _shoal_v1_RaftTimingInput, RaftTiming as _shoal_v1_RaftTiming } from './shoal/v1/RaftTiming.js';
import type { RefInput as _shoal_v1_RefInput, Ref as _shoal_v1_Ref } from './shoal/v1/Ref.js';
import type { RegistryAuthInput as _shoal_v1_RegistryAuthInput, RegistryAuth as _shoal_v1_RegistryAuth } from './shoal/v1/RegistryAuth.js';
import type { RemoveNodeRequestInput as _shoal_v1_RemoveNodeRequestInput, RemoveNodeRequest as _shoal_v1_RemoveNodeRequest } from './shoal/v1/RemoveNodeRequest.js';
import type { ResourceRequirementsInput as _shoal_v1_ResourceRequirementsInput, ResourceRequirements as _shoal_v1_ResourceRequirements } from './shoal/v1/ResourceRequirements.js';
import type { ResourcesInput as _shoal_v1_ResourcesInput, Resources as _shoal_v1_Resources } from './shoal/v1/Resources.js';
import type { RestartPolicyInput as _shoal_v1_RestartPolicyInput, RestartPolicy as _shoal_v1_RestartPolicy } from './shoal/v1/RestartPolicy.js';
import type { ServiceInput as _shoal_v1_ServiceInput, Service as _shoal_v1_Service } from './shoal/v1/Service.js';
import type { ServiceListInput as _shoal_v1_ServiceListInput, ServiceList as _shoal_v1_ServiceList } from './shoal/v1/ServiceList.js';
import type { ServiceLogsRequestInput as _shoal_v1_ServiceLogsRequestInput, ServiceLogsRequest as _shoal_v1_ServiceLogsRequest } from './shoal/v1/ServiceLogsRequest.js';
import type { ServiceSpecInput as _shoal_v1_ServiceSpecInput, ServiceSpec as _shoal_v1_ServiceSpec } from './shoal/v1/ServiceSpec.js';
import type { TaskInput as _shoal_v1_TaskInput, Task as _shoal_v1_Task } from './shoal/v1/Task.js';
import type { TaskListInput as _shoal_v1_TaskListInput, TaskList as _shoal_v1_TaskList } from './shoal/v1/TaskList.js';
import type { TaskSpecInput as _shoal_v1_TaskSpecInput, TaskSpec as _shoal_v1_TaskSpec } from './shoal/v1/TaskSpec.js';
import type { TaskStatusInput as _shoal_v1_TaskStatusInput, TaskStatus as _shoal_v1_TaskStatus } from './shoal/v1/TaskStatus.js';
import type { UpdateClusterRequestInput as _shoal_v1_UpdateClusterRequestInput, UpdateClusterRequest as _shoal_v1_UpdateClusterRequest } from './shoal/v1/UpdateClusterRequest.js';
import type { UpdateConfigInput as _shoal_v1_UpdateConfigInput, UpdateConfig as _shoal_v1_UpdateConfig } from './shoal/v1/UpdateConfig.js';
import type { UpdateNodeRequestInput as _shoal_v1_UpdateNodeRequestInput, UpdateNodeRequest as _shoal_v1_UpdateNodeRequest } from './shoal/v1/UpdateNodeRequest.js';
import type { UpdateServiceRequestInput as _shoal_v1_UpdateServiceRequestInput, UpdateServiceRequest as _shoal_v1_UpdateServiceRequest } from './shoal/v1/UpdateServiceRequest.js';
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
      Control: SubtypeConstructor<typeof grpc.Client, _shoal_v1_ControlClient> & { service: _shoal_v1_ControlDefinition }
      CreateServiceRequest: MessageTypeDefinition<_shoal_v1_CreateServiceRequestInput, _shoal_v1_CreateServiceRequest>
      Empty: MessageTypeDefinition<_shoal_v1_EmptyInput, _shoal_v1_Empty>
      Endpoint: MessageTypeDefinition<_shoal_v1_EndpointInput, _shoal_v1_Endpoint>
      EndpointSpec: MessageTypeDefinition<_shoal_v1_EndpointSpecInput, _shoal_v1_EndpointSpec>
      Event: MessageTypeDefinition<_shoal_v1_EventInput, _shoal_v1_Event>
      EventsRequest: MessageTypeDefinition<_shoal_v1_EventsRequestInput, _shoal_v1_EventsRequest>
      GetInfoRequest: MessageTypeDefinition<_shoal_v1_GetInfoRequestInput, _shoal_v1_GetInfoRequest>
      HealthConfig: MessageTypeDefinition<_shoal_v1_HealthConfigInput, _shoal_v1_HealthConfig>
      Info: MessageTypeDefinition<_shoal_v1_InfoInput, _shoal_v1_Info>
      JoinTokenRequest: MessageTypeDefinition<_shoal_v1_JoinTokenRequestInput, _shoal_v1_JoinTokenRequest>
      JoinTokenResponse: MessageTypeDefinition<_shoal_v1_JoinTokenResponseInput, _shoal_v1_JoinTokenResponse>
      ListTasksRequest: MessageTypeDefinition<_shoal_v1_ListTasksRequestInput, _shoal_v1_ListTasksRequest>
      LogLine: MessageTypeDefinition<_shoal_v1_LogLineInput, _shoal_v1_LogLine>
      ManagerMember: MessageTypeDefinition<_shoal_v1_ManagerMemberInput, _shoal_v1_ManagerMember>
      ManagerStatus: MessageTypeDefinition<_shoal_v1_ManagerStatusInput, _shoal_v1_ManagerStatus>
      MeshListener: MessageTypeDefinition<_shoal_v1_MeshListenerInput, _shoal_v1_MeshListener>
      Meta: MessageTypeDefinition<_shoal_v1_MetaInput, _shoal_v1_Meta>
      Mount: MessageTypeDefinition<_shoal_v1_MountInput, _shoal_v1_Mount>
      Node: MessageTypeDefinition<_shoal_v1_NodeInput, _shoal_v1_Node>
      NodeDescription: MessageTypeDefinition<_shoal_v1_NodeDescriptionInput, _shoal_v1_NodeDescription>
      NodeList: MessageTypeDefinition<_shoal_v1_NodeListInput, _shoal_v1_NodeList>
      NodeSpec: MessageTypeDefinition<_shoal_v1_NodeSpecInput, _shoal_v1_NodeSpec>
      NodeStatus: MessageTypeDefinition<_shoal_v1_NodeStatusInput, _shoal_v1_NodeStatus>
      Placement: MessageTypeDefinition<_shoal_v1_PlacementInput, _shoal_v1_Placement>
      Platform: MessageTypeDefinition<_shoal_v1_PlatformInput, _shoal_v1_Platform>
      PortConfig: MessageTypeDefinition<_shoal_v1_PortConfigInput, _shoal_v1_PortConfig>
      RaftTiming: MessageTypeDefinition<_shoal_v1_RaftTimingInput, _shoal_v1_RaftTiming>
      Ref: MessageTypeDefinition<_shoal_v1_RefInput, _shoal_v1_Ref>
      RegistryAuth: MessageTypeDefinition<_shoal_v1_RegistryAuthInput, _shoal_v1_RegistryAuth>
      RemoveNodeRequest: MessageTypeDefinition<_shoal_v1_RemoveNodeRequestInput, _shoal_v1_RemoveNodeRequest>
      ResourceRequirements: MessageTypeDefinition<_shoal_v1_ResourceRequirementsInput, _shoal_v1_ResourceRequirements>
      Resources: MessageTypeDefinition<_shoal_v1_ResourcesInput, _shoal_v1_Resources>
      RestartPolicy: MessageTypeDefinition<_shoal_v1_RestartPolicyInput, _shoal_v1_RestartPolicy>
      Service: MessageTypeDefinition<_shoal_v1_ServiceInput, _shoal_v1_Service>
      ServiceList: MessageTypeDefinition<_shoal_v1_ServiceListInput, _shoal_v1_ServiceList>
      ServiceLogsRequest: MessageTypeDefinition<_shoal_v1_ServiceLogsRequestInput, _shoal_v1_ServiceLogsRequest>
      ServiceSpec: MessageTypeDefinition<_shoal_v1_ServiceSpecInput, _shoal_v1_ServiceSpec>
      Task: MessageTypeDefinition<_shoal_v1_TaskInput, _shoal_v1_Task>
      TaskList: MessageTypeDefinition<_shoal_v1_TaskListInput, _shoal_v1_TaskList>
      TaskSpec: MessageTypeDefinition<_shoal_v1_TaskSpecInput, _shoal_v1_TaskSpec>
      TaskState: EnumTypeDefinition
      TaskStatus: MessageTypeDefinition<_shoal_v1_TaskStatusInput, _shoal_v1_TaskStatus>
      UpdateClusterRequest: MessageTypeDefinition<_shoal_v1_UpdateClusterRequestInput, _shoal_v1_UpdateClusterRequest>
      UpdateConfig: MessageTypeDefinition<_shoal_v1_UpdateConfigInput, _shoal_v1_UpdateConfig>
      UpdateNodeRequest: MessageTypeDefinition<_shoal_v1_UpdateNodeRequestInput, _shoal_v1_UpdateNodeRequest>
      UpdateServiceRequest: MessageTypeDefinition<_shoal_v1_UpdateServiceRequestInput, _shoal_v1_UpdateServiceRequest>
      UpdateStatus: MessageTypeDefinition<_shoal_v1_UpdateStatusInput, _shoal_v1_UpdateStatus>
    }
  }
}

