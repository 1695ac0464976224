import { RaftError } from './errors.js';
import type { NodeId } from './messages.js';

/** A single-server membership change (§6 / Ongaro's thesis §4.1): one voter added or removed at a time. */
export interface ConfChange {
  readonly type: 'add-node' | 'remove-node';
  readonly nodeId: NodeId;
}

export class InvalidConfChangeError extends RaftError {}

/** Conf entries carry the change as JSON, so every implementation of the log can read them back. */
export function encodeConfChange(change: ConfChange): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ type: change.type, nodeId: change.nodeId }));
}

export function decodeConfChange(data: Uint8Array): ConfChange {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(data));
  } catch {
    throw new InvalidConfChangeError('conf entry is not valid JSON');
  }
  if (
    typeof parsed === 'object' && parsed !== null &&
    'type' in parsed && (parsed.type === 'add-node' || parsed.type === 'remove-node') &&
    'nodeId' in parsed && typeof parsed.nodeId === 'string' && parsed.nodeId !== ''
  ) {
    return { type: parsed.type, nodeId: parsed.nodeId };
  }
  throw new InvalidConfChangeError('conf entry is not a conf change');
}
