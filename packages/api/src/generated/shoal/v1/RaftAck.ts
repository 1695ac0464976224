// Original file: proto/shoal/v1/raft.proto


export interface RaftAckInput {
}

export interface RaftAck {
}
