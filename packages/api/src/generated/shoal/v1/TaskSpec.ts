// Original file: proto/shoal/v1/objects.proto

import type { ContainerSpecInput as _shoal_v1_ContainerSpecInput, ContainerSpec as _shoal_v1_ContainerSpec } from '../../shoal/v1/ContainerSpec.js';
import type { ResourceRequirementsInput as _shoal_v1_ResourceRequirementsInput, ResourceRequirements as _shoal_v1_ResourceRequirements } from '../../shoal/v1/ResourceRequirements.js';
import type { RestartPolicyInput as _shoal_v1_RestartPolicyInput, RestartPolicy as _shoal_v1_RestartPolicy } from '../../shoal/v1/RestartPolicy.js';
import type { PlacementInput as _shoal_v1_PlacementInput, Placement as _shoal_v1_Placement } from '../../shoal/v1/Placement.js';
import type { Long } from '@grpc/proto-loader';

export interface TaskSpecInput {
  'container'?: (_shoal_v1_ContainerSpecInput | null);
  'resources'?: (_shoal_v1_ResourceRequirementsInput | null);
  'restart'?: (_shoal_v1_RestartPolicyInput | null);
  'placement'?: (_shoal_v1_PlacementInput | null);
  'forceUpdate'?: (number | string | Long);
}

export interface TaskSpec {
  'container': (_shoal_v1_ContainerSpec);
  'resources': (_shoal_v1_ResourceRequirements);
  'restart': (_shoal_v1_RestartPolicy);
  'placement': (_shoal_v1_Placement);
  'forceUpdate': (number);
}
