// Original file: proto/shoal/v1/objects.proto

import type { MetaInput as _shoal_v1_MetaInput, Meta as _shoal_v1_Meta } from '../../shoal/v1/Meta.js';
import type { ClusterSpecInput as _shoal_v1_ClusterSpecInput, ClusterSpec as _shoal_v1_ClusterSpec } from '../../shoal/v1/ClusterSpec.js';

export interface ClusterInput {
  'id'?: (string);
  'meta'?: (_shoal_v1_MetaInput | null);
  'spec'?: (_shoal_v1_ClusterSpecInput | null);
  'workerToken'?: (string);
  'managerToken'?: (string);
  'createdBy'?: (string);
}

export interface Cluster {
  'id': (string);
  'meta': (_shoal_v1_Meta);
  'spec': (_shoal_v1_ClusterSpec);
  'workerToken': (string);
  'managerToken': (string);
  'createdBy': (string);
}
