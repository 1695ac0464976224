// Loads the wire contract from proto/ at run time; the generated types in ./generated describe what it yields.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType as ControlProto } from './generated/control.js';
import type { ProtoGrpcType as DispatcherProto } from './generated/dispatcher.js';

// src/proto.ts and dist/proto.js both sit three levels below the repository root.
export const PROTO_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'proto');

export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  objects: true,
  arrays: true,
  oneofs: true,
  includeDirs: [PROTO_DIR],
};

let loaded: (ControlProto & DispatcherProto) | undefined;

export function shoalProto(): ControlProto & DispatcherProto {
  if (!loaded) {
    const def = protoLoader.loadSync(['shoal/v1/control.proto', 'shoal/v1/dispatcher.proto'], LOADER_OPTIONS);
    loaded = grpc.loadPackageDefinition(def) as unknown as ControlProto & DispatcherProto;
  }
  return loaded;
}
