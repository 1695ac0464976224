/** The values the Raft core exchanges with its driver and its peers: plain data, no behaviour. */

export type NodeId = string;
/** No node: no vote cast, no leader known. */
export const NO_NODE: NodeId = '';

export type EntryType = 'normal' | 'conf';

export interface Entry {
  readonly term: number;
  readonly index: number;
  readonly type: EntryType;
  readonly data: Uint8Array;
}

/** The voters of the cluster at some point of the log. */
export interface ConfState {
  readonly voters: readonly NodeId[];
}

export interface SnapshotMetadata {
  readonly index: number;
  readonly term: number;
  readonly confState: ConfState;
}

export interface Snapshot {
  readonly metadata: SnapshotMetadata;
  readonly data: Uint8Array;
}

/** What must be on disk before any message of the same Ready is sent. */
export interface HardState {
  readonly term: number;
  readonly vote: NodeId;
  readonly commit: number;
}

export type Role = 'follower' | 'pre-candidate' | 'candidate' | 'leader';

/** Volatile state the driver may want to observe (who leads, what this node is); never persisted. */
export interface SoftState {
  readonly leader: NodeId;
  readonly role: Role;
}

/** Messages a node sends to itself (term 0): they never travel over the network. */
export const LOCAL_MESSAGE_TYPES = ['hup', 'beat', 'prop', 'check-quorum', 'transfer-leader', 'snapshot-status', 'unreachable'] as const;
export type LocalMessageType = (typeof LOCAL_MESSAGE_TYPES)[number];

export type PeerMessageType =
  | 'append'
  | 'append-response'
  | 'vote'
  | 'vote-response'
  | 'pre-vote'
  | 'pre-vote-response'
  | 'heartbeat'
  | 'heartbeat-response'
  | 'snapshot'
  | 'timeout-now';

export type MessageType = LocalMessageType | PeerMessageType;

/** Context of a vote request that a leader transfer started: it may break a follower's lease. */
export const TRANSFER_CONTEXT = 'transfer';

export interface Message {
  readonly type: MessageType;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly term: number;
  /** append: term of the entry before `entries`; votes: term of the candidate's last entry; rejections: hint term. */
  readonly logTerm: number;
  /** append: index of the entry before `entries`; votes: the candidate's last index; responses: the index acknowledged. */
  readonly index: number;
  readonly entries: readonly Entry[];
  readonly commit: number;
  readonly reject: boolean;
  /** On a rejected append: the follower's guess of the last index that may match, for fast back-off. */
  readonly rejectHint: number;
  readonly snapshot?: Snapshot;
  readonly context: string;
}

export function newMessage(fields: Partial<Message> & Pick<Message, 'type'>): Message {
  return {
    from: NO_NODE,
    to: NO_NODE,
    term: 0,
    logTerm: 0,
    index: 0,
    entries: [],
    commit: 0,
    reject: false,
    rejectHint: 0,
    context: '',
    ...fields,
  };
}

export function isLocalMessage(type: MessageType): type is LocalMessageType {
  return (LOCAL_MESSAGE_TYPES as readonly string[]).includes(type);
}

/** The answer a request of this type expects. */
export function voteResponseType(type: 'vote' | 'pre-vote'): 'vote-response' | 'pre-vote-response' {
  return type === 'vote' ? 'vote-response' : 'pre-vote-response';
}

export const EMPTY_HARD_STATE: HardState = { term: 0, vote: NO_NODE, commit: 0 };

export function isEmptyHardState(hs: HardState): boolean {
  return hs.term === 0 && hs.vote === NO_NODE && hs.commit === 0;
}

export function sameHardState(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}
