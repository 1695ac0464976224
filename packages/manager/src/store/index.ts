export { MemoryStore, type ReadTx, type WriteTx } from './memory-store.js';
export type { Applier, Proposer } from './proposer.js';
export type { Tables, TableName, StoreObject, StoreAction, StoreEvent, TaskQuery } from './tables.js';
