import type { Node } from '@shoal/api';
import { naturalCompare, truncateId, type Column, type JsonField } from './table.js';

export interface NodeRow {
  node: Node;
  /** The node the CLI talks to (docker marks it with "*"). */
  self: boolean;
}

function title(word: string): string {
  return word ? word.charAt(0).toUpperCase() + word.slice(1).toLowerCase() : '';
}

/** MANAGER STATUS: Leader, Reachable or Unreachable for managers, empty for workers. */
export function managerStatus(node: Node): string {
  const ms = node.managerStatus;
  if (!ms.addr && node.spec.role !== 'manager') return '';
  return ms.leader ? 'Leader' : title(ms.reachability || 'unknown');
}

export function nodeRows(nodes: readonly Node[], selfId: string): NodeRow[] {
  return [...nodes]
    .sort((a, b) => naturalCompare(a.description.hostname, b.description.hostname) || naturalCompare(a.id, b.id))
    .map((node) => ({ node, self: node.id === selfId }));
}

export const nodeColumns: Column<NodeRow>[] = [
  { header: 'ID', key: 'ID', value: (r) => `${truncateId(r.node.id)}${r.self ? ' *' : ''}` },
  { header: 'HOSTNAME', key: 'Hostname', value: (r) => r.node.description.hostname },
  { header: 'STATUS', key: 'Status', value: (r) => title(r.node.status.state) },
  { header: 'AVAILABILITY', key: 'Availability', value: (r) => title(r.node.spec.availability) },
  { header: 'MANAGER STATUS', key: 'ManagerStatus', value: (r) => managerStatus(r.node) },
  { header: 'ENGINE VERSION', key: 'EngineVersion', value: (r) => r.node.description.engineVersion },
];

/** docker's JSON rows carry the full id and a separate Self flag instead of the "*". */
export const nodeJsonFields: JsonField<NodeRow>[] = [
  { key: 'ID', value: (r) => r.node.id },
  { key: 'Self', value: (r) => r.self },
  ...nodeColumns.slice(1),
];
