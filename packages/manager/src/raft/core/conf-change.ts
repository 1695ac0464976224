import { RaftError } from './errors.js';
import type { NodeId } from './messages.js';

/** A single-server membership change (§6 / Ongaro's thesis §4.1): one voter added or removed at a time. */
export interface ConfChange {
  readonly type: 'add-node' | 'remove-node';
  readonly nodeId: NodeId;
  /** Opaque to the core: what the driver needs to reach the member (its address). */
  readonly context?: string;
}

export class InvalidConfChangeError extends RaftError {}

/** Conf entries carry the change as JSON, so every implementation of the log can read them back. */
export function encodeConfChange(change: ConfChange): Uint8Array {
  const { type, nodeId, context } = change;
  return new TextEncoder().encode(JSON.stringify(context === undefined ? { type, nodeId } : { type, nodeId, context }));
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
    if (!('context' in parsed)) return { type: parsed.type, nodeId: parsed.nodeId };
    if (typeof parsed.context === 'string') return { type: parsed.type, nodeId: parsed.nodeId, context: parsed.context };
  }
  throw new InvalidConfChangeError('conf entry is not a conf change');
}
