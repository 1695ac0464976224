// Loads the wire contract: proto/ as parsed by `npm run gen` into ./generated/descriptor.ts, so no process reads
// the .proto files (the CLI runs from a bundle). The generated types in ./generated describe what it yields.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { descriptor } from './generated/descriptor.js';
import type { ProtoGrpcType as ControlProto } from './generated/control.js';
import type { ProtoGrpcType as DispatcherProto } from './generated/dispatcher.js';
import type { ProtoGrpcType as RaftProto } from './generated/raft.js';

export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  objects: true,
  arrays: true,
  oneofs: true,
};

type ShoalProto = ControlProto & DispatcherProto & RaftProto;
let loaded: ShoalProto | undefined;

export function shoalProto(): ShoalProto {
  if (!loaded) {
    const def = protoLoader.fromJSON(descriptor, LOADER_OPTIONS);
    fillAbsentMessages(def);
    loaded = grpc.loadPackageDefinition(def) as unknown as ShoalProto;
  }
  return loaded;
}

interface FieldDescriptor { name: string; label: string; type: string; typeName: string }
interface MessageDescriptor { field: FieldDescriptor[]; nestedType: Array<{ name: string }>; oneofDecl: unknown[] }
interface MessageDef { type: MessageDescriptor; deserialize(buf: Buffer): unknown }
const EMPTY = Buffer.alloc(0);

/**
 * The loader leaves a message field that was not sent as null. Every decoded message gets the default message
 * there instead (recursively), so the generated output types, whose message fields are non-null, hold at run
 * time. In a message with a oneof, an absent member stays absent (which one is present is the message's meaning),
 * but the present member is filled like any other message.
 */
function fillAbsentMessages(def: protoLoader.PackageDefinition): void {
  interface Slot { key: string; repeated: boolean; member: boolean; type: MessageDef }
  // Which fields of each message type to fill, worked out once per type: decoding is on the hot path of Raft.
  const slots = new Map<MessageDef, Slot[]>();
  const slotsOf = (t: MessageDef): Slot[] => {
    let found = slots.get(t);
    if (!found) {
      // shoal's messages with a oneof hold nothing but its members.
      const member = t.type.oneofDecl.length > 0;
      found = t.type.field
        .filter((f) => f.type === 'TYPE_MESSAGE' && !t.type.nestedType.some((n) => n.name === f.typeName)) // maps are plain objects
        .map((f) => ({
          key: f.name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()),
          repeated: f.label === 'LABEL_REPEATED',
          member,
          type: def[`shoal.v1.${f.typeName}`] as unknown as MessageDef,
        }));
      slots.set(t, found);
    }
    return found;
  };
  const fill = (obj: Record<string, unknown>, t: MessageDef): void => {
    for (const { key, repeated, member, type } of slotsOf(t)) {
      if (member && obj[key] == null) continue;
      if (repeated) {
        for (const item of (obj[key] as Record<string, unknown>[] | undefined) ?? []) fill(item, type);
      } else {
        obj[key] ??= type.deserialize(EMPTY);
        fill(obj[key] as Record<string, unknown>, type);
      }
    }
  };
  for (const service of Object.values(def)) {
    if ('format' in service) continue; // a message or enum, not a service
    for (const method of Object.values(service)) {
      const { requestDeserialize, responseDeserialize } = method;
      const requestType = method.requestType as unknown as MessageDef;
      const responseType = method.responseType as unknown as MessageDef;
      method.requestDeserialize = (buf: Buffer) => { const m = requestDeserialize(buf) as Record<string, unknown>; fill(m, requestType); return m; };
      method.responseDeserialize = (buf: Buffer) => { const m = responseDeserialize(buf) as Record<string, unknown>; fill(m, responseType); return m; };
    }
  }
}
