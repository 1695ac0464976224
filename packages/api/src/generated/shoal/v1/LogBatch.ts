// Original file: proto/shoal/v1/dispatcher.proto

import type { LogLineInput as _shoal_v1_LogLineInput, LogLine as _shoal_v1_LogLine } from '../../shoal/v1/LogLine.js';

export interface LogBatchInput {
  'subscriptionId'?: (string);
  'lines'?: (_shoal_v1_LogLineInput)[];
  'done'?: (boolean);
  'error'?: (string);
}

export interface LogBatch {
  'subscriptionId': (string);
  'lines': (_shoal_v1_LogLine)[];
  'done': (boolean);
  'error': (string);
}
