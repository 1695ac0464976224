// Original file: proto/shoal/v1/raft.proto

export const RaftEntryType = {
  RAFT_ENTRY_NORMAL: 'RAFT_ENTRY_NORMAL',
  RAFT_ENTRY_CONF: 'RAFT_ENTRY_CONF',
} as const;

export type RaftEntryTypeInput =
  | 'RAFT_ENTRY_NORMAL'
  | 0
  | 'RAFT_ENTRY_CONF'
  | 1

export type RaftEntryType = typeof RaftEntryType[keyof typeof RaftEntryType]
