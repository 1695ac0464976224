import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { RaftClient as _shoal_v1_RaftClient, RaftDefinition as _shoal_v1_RaftDefinition } from './shoal/v1/Raft.js';
import type { RaftAckInput as _shoal_v1_RaftAckInput, RaftAck as _shoal_v1_RaftAck } from './shoal/v1/RaftAck.js';
import type { RaftEntryInput as _shoal_v1_RaftEntryInput, RaftEntry as _shoal_v1_RaftEntry } from './shoal/v1/RaftEntry.js';
import type { RaftEnvelopeInput as _shoal_v1_RaftEnvelopeInput, RaftEnvelope as _shoal_v1_RaftEnvelope } from './shoal/v1/RaftEnvelope.js';
import type { RaftJoinRequestInput as _shoal_v1_RaftJoinRequestInput, RaftJoinRequest as _shoal_v1_RaftJoinRequest } from './shoal/v1/RaftJoinRequest.js';
import type { RaftJoinResponseInput as _shoal_v1_RaftJoinResponseInput, RaftJoinResponse as _shoal_v1_RaftJoinResponse } from './shoal/v1/RaftJoinResponse.js';
import type { RaftMembershipClient as _shoal_v1_RaftMembershipClient, RaftMembershipDefinition as _shoal_v1_RaftMembershipDefinition } from './shoal/v1/RaftMembership.js';
import type { RaftMessageInput as _shoal_v1_RaftMessageInput, RaftMessage as _shoal_v1_RaftMessage } from './shoal/v1/RaftMessage.js';
import type { RaftSnapshotInput as _shoal_v1_RaftSnapshotInput, RaftSnapshot as _shoal_v1_RaftSnapshot } from './shoal/v1/RaftSnapshot.js';
import type { RaftSnapshotMetadataInput as _shoal_v1_RaftSnapshotMetadataInput, RaftSnapshotMetadata as _shoal_v1_RaftSnapshotMetadata } from './shoal/v1/RaftSnapshotMetadata.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  shoal: {
    v1: {
      Raft: SubtypeConstructor<typeof grpc.Client, _shoal_v1_RaftClient> & { service: _shoal_v1_RaftDefinition }
      RaftAck: MessageTypeDefinition<_shoal_v1_RaftAckInput, _shoal_v1_RaftAck>
      RaftEntry: MessageTypeDefinition<_shoal_v1_RaftEntryInput, _shoal_v1_RaftEntry>
      RaftEntryType: EnumTypeDefinition
      RaftEnvelope: MessageTypeDefinition<_shoal_v1_RaftEnvelopeInput, _shoal_v1_RaftEnvelope>
      RaftJoinRequest: MessageTypeDefinition<_shoal_v1_RaftJoinRequestInput, _shoal_v1_RaftJoinRequest>
      RaftJoinResponse: MessageTypeDefinition<_shoal_v1_RaftJoinResponseInput, _shoal_v1_RaftJoinResponse>
      RaftMembership: SubtypeConstructor<typeof grpc.Client, _shoal_v1_RaftMembershipClient> & { service: _shoal_v1_RaftMembershipDefinition }
      RaftMessage: MessageTypeDefinition<_shoal_v1_RaftMessageInput, _shoal_v1_RaftMessage>
      RaftMessageType: EnumTypeDefinition
      RaftSnapshot: MessageTypeDefinition<_shoal_v1_RaftSnapshotInput, _shoal_v1_RaftSnapshot>
      RaftSnapshotMetadata: MessageTypeDefinition<_shoal_v1_RaftSnapshotMetadataInput, _shoal_v1_RaftSnapshotMetadata>
    }
  }
}

