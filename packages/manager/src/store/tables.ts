import type { Cluster, Node, Service, Task } from '@shoal/api';

/** The store's tables and the object each holds. */
export interface Tables {
  nodes: Node;
  services: Service;
  tasks: Task;
  clusters: Cluster;
}
export type TableName = keyof Tables;
export type StoreObject = Tables[TableName];

export const TABLE_NAMES: readonly TableName[] = ['clusters', 'nodes', 'services', 'tasks'];

/** One change of a transaction; a committed list of them is what the proposer replicates. */
export type StoreAction =
  | { kind: 'put'; table: TableName; object: StoreObject }
  | { kind: 'delete'; table: TableName; id: string };

export type StoreEvent =
  | { kind: 'create' | 'update'; table: TableName; object: StoreObject; old?: StoreObject }
  | { kind: 'delete'; table: TableName; object: StoreObject }
  | { kind: 'commit'; index: number };

/** Finds the tasks of a service, of a node, or of one slot of a service. */
export interface TaskQuery {
  serviceId?: string;
  nodeId?: string;
  slot?: number;
}
