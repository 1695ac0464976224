// Original file: proto/shoal/v1/objects.proto

import type { ResourcesInput as _shoal_v1_ResourcesInput, Resources as _shoal_v1_Resources } from '../../shoal/v1/Resources.js';

export interface ResourceRequirementsInput {
  'limits'?: (_shoal_v1_ResourcesInput | null);
  'reservations'?: (_shoal_v1_ResourcesInput | null);
}

export interface ResourceRequirements {
  'limits': (_shoal_v1_Resources);
  'reservations': (_shoal_v1_Resources);
}
