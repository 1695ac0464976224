// Original file: proto/shoal/v1/dispatcher.proto


export interface ManagersInput {
  'addrs'?: (string)[];
}

export interface Managers {
  'addrs': (string)[];
}
