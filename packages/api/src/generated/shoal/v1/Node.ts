// Original file: proto/shoal/v1/objects.proto

import type { MetaInput as _shoal_v1_MetaInput, Meta as _shoal_v1_Meta } from '../../shoal/v1/Meta.js';
import type { NodeSpecInput as _shoal_v1_NodeSpecInput, NodeSpec as _shoal_v1_NodeSpec } from '../../shoal/v1/NodeSpec.js';
import type { NodeDescriptionInput as _shoal_v1_NodeDescriptionInput, NodeDescription as _shoal_v1_NodeDescription } from '../../shoal/v1/NodeDescription.js';
import type { NodeStatusInput as _shoal_v1_NodeStatusInput, NodeStatus as _shoal_v1_NodeStatus } from '../../shoal/v1/NodeStatus.js';
import type { ManagerStatusInput as _shoal_v1_ManagerStatusInput, ManagerStatus as _shoal_v1_ManagerStatus } from '../../shoal/v1/ManagerStatus.js';
import type { MeshListenerInput as _shoal_v1_MeshListenerInput, MeshListener as _shoal_v1_MeshListener } from '../../shoal/v1/MeshListener.js';

export interface NodeInput {
  'id'?: (string);
  'meta'?: (_shoal_v1_MetaInput | null);
  'spec'?: (_shoal_v1_NodeSpecInput | null);
  'description'?: (_shoal_v1_NodeDescriptionInput | null);
  'status'?: (_shoal_v1_NodeStatusInput | null);
  'managerStatus'?: (_shoal_v1_ManagerStatusInput | null);
  'secretHash'?: (string);
  'mesh'?: (_shoal_v1_MeshListenerInput)[];
}

export interface Node {
  'id': (string);
  'meta': (_shoal_v1_Meta);
  'spec': (_shoal_v1_NodeSpec);
  'description': (_shoal_v1_NodeDescription);
  'status': (_shoal_v1_NodeStatus);
  'managerStatus': (_shoal_v1_ManagerStatus);
  'secretHash': (string);
  'mesh': (_shoal_v1_MeshListener)[];
}
