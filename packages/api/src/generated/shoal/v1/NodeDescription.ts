// Original file: proto/shoal/v1/objects.proto

import type { PlatformInput as _shoal_v1_PlatformInput, Platform as _shoal_v1_Platform } from '../../shoal/v1/Platform.js';
import type { ResourcesInput as _shoal_v1_ResourcesInput, Resources as _shoal_v1_Resources } from '../../shoal/v1/Resources.js';

export interface NodeDescriptionInput {
  'hostname'?: (string);
  'platform'?: (_shoal_v1_PlatformInput | null);
  'resources'?: (_shoal_v1_ResourcesInput | null);
  'engineLabels'?: ({[key: string]: string});
  'engineVersion'?: (string);
}

export interface NodeDescription {
  'hostname': (string);
  'platform': (_shoal_v1_Platform);
  'resources': (_shoal_v1_Resources);
  'engineLabels': ({[key: string]: string});
  'engineVersion': (string);
}
