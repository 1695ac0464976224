// Original file: proto/shoal/v1/dispatcher.proto

import type { Long } from '@grpc/proto-loader';

export interface LogSubscriptionInput {
  'id'?: (string);
  'taskIds'?: (string)[];
  'follow'?: (boolean);
  'tail'?: (number | string | Long);
  'since'?: (number | string | Long);
  'cancel'?: (boolean);
}

export interface LogSubscription {
  'id': (string);
  'taskIds': (string)[];
  'follow': (boolean);
  'tail': (number);
  'since': (number);
  'cancel': (boolean);
}
