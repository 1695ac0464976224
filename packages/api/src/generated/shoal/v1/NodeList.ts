// Original file: proto/shoal/v1/control.proto

import type { NodeInput as _shoal_v1_NodeInput, Node as _shoal_v1_Node } from '../../shoal/v1/Node.js';

export interface NodeListInput {
  'nodes'?: (_shoal_v1_NodeInput)[];
}

export interface NodeList {
  'nodes': (_shoal_v1_Node)[];
}
