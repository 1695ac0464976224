// Original file: proto/shoal/v1/control.proto

import type { Long } from '@grpc/proto-loader';

export interface EventInput {
  'index'?: (number | string | Long);
  'time'?: (number | string | Long);
  'type'?: (string);
  'action'?: (string);
  'id'?: (string);
  'name'?: (string);
  'attributes'?: ({[key: string]: string});
}

export interface Event {
  'index': (number);
  'time': (number);
  'type': (string);
  'action': (string);
  'id': (string);
  'name': (string);
  'attributes': ({[key: string]: string});
}
