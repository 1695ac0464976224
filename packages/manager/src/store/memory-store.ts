import { AlreadyExistsError, NotFoundError, SequenceConflictError, systemClock, type Clock } from '@shoal/api';
import type { Proposer } from './proposer.js';
import { TABLE_NAMES, type StoreAction, type StoreEvent, type StoreObject, type TableName, type Tables, type TaskQuery } from './tables.js';

export interface ReadTx {
  get<T extends TableName>(table: T, id: string): Tables[T] | undefined;
  all<T extends TableName>(table: T): Tables[T][];
  findTasks(query: TaskQuery): Tables['tasks'][];
  serviceByName(name: string): Tables['services'] | undefined;
  cluster(): Tables['clusters'] | undefined;
}

export interface WriteTx extends ReadTx {
  /** Adds an object; its meta (version, times) is set by the store. */
  create<T extends TableName>(table: T, object: Tables[T]): void;
  /** Replaces an object; fails with a sequence conflict when object.meta.version is not the stored one. */
  update<T extends TableName>(table: T, object: Tables[T]): void;
  delete(table: TableName, id: string): void;
}

type Listener = (event: StoreEvent) => void;

interface Queued {
  readonly fn: (tx: WriteTx) => unknown;
  resolve(result: unknown): void;
  reject(err: unknown): void;
}

/**
 * The in-memory state of the cluster with its indexes. Reads are synchronous views; writes are synchronous
 * transactions whose actions go through the Proposer, which applies them (with `applyCommitted`) once committed.
 */
export class MemoryStore implements ReadTx {
  private readonly tables = new Map<TableName, Map<string, StoreObject>>(TABLE_NAMES.map((t) => [t, new Map()]));
  private readonly tasksByService = new Map<string, Set<string>>();
  private readonly tasksByNode = new Map<string, Set<string>>();
  private readonly servicesByName = new Map<string, string>();
  private readonly listeners = new Set<Listener>();
  /** Transactions waiting for the group in flight to settle; they form the next group. */
  private waiting: Queued[] = [];
  private groupInFlight = false;
  private turnScheduled = false;
  private index = 0;

  constructor(private readonly proposer: Proposer, private readonly clock: Clock = systemClock) {
    proposer.setApplier((actions, index) => this.applyCommitted(actions, index));
  }

  /** The index of the last applied transaction. */
  get lastIndex(): number { return this.index; }

  get<T extends TableName>(table: T, id: string): Tables[T] | undefined {
    return this.tables.get(table)!.get(id) as Tables[T] | undefined;
  }

  all<T extends TableName>(table: T): Tables[T][] {
    return [...this.tables.get(table)!.values()] as Tables[T][];
  }

  count(table: TableName): number { return this.tables.get(table)!.size; }

  findTasks(query: TaskQuery): Tables['tasks'][] {
    let ids: Iterable<string> | undefined;
    if (query.serviceId !== undefined) ids = this.tasksByService.get(query.serviceId) ?? [];
    else if (query.nodeId !== undefined) ids = this.tasksByNode.get(query.nodeId) ?? [];
    const tasks = this.tables.get('tasks')! as Map<string, Tables['tasks']>;
    const out: Tables['tasks'][] = [];
    for (const id of ids ?? tasks.keys()) {
      const t = tasks.get(id);
      if (t && matches(t, query)) out.push(t);
    }
    return out;
  }

  serviceByName(name: string): Tables['services'] | undefined {
    const id = this.servicesByName.get(name);
    return id === undefined ? undefined : this.get('services', id);
  }

  cluster(): Tables['clusters'] | undefined {
    return this.all('clusters')[0];
  }

  /** Runs fn against a consistent state. */
  view<R>(fn: (tx: ReadTx) => R): R { return fn(this); }

  /**
   * Runs fn as a transaction: its writes are proposed as one batch; the promise settles once they are applied.
   * Transactions run one after another, each on the state its predecessors left. Group commit: the transactions
   * queued while a group is in flight run together once it settled, each over the writes of the ones before it in
   * its group (an object written there carries a provisional negative `meta.version` until applied, so a write based
   * on its older version conflicts), and are proposed together: one log write for the group, each resolving when its
   * own entry is applied. A transaction whose fn throws is dropped alone; a failed proposal fails, with its error,
   * every transaction of its group not settled yet (the later ones were built on its writes).
   */
  update<R>(fn: (tx: WriteTx) => R): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ fn, resolve: resolve as (result: unknown) => void, reject });
      this.scheduleTurn();
    });
  }

  /** The next group runs on a microtask, so the updates of one synchronous run share it. */
  private scheduleTurn(): void {
    if (this.turnScheduled || this.groupInFlight || this.waiting.length === 0) return;
    this.turnScheduled = true;
    queueMicrotask(() => {
      this.turnScheduled = false;
      this.runGroup();
    });
  }

  private runGroup(): void {
    const group = this.waiting;
    this.waiting = [];
    const pending = new PendingWrites(this);
    const now = this.clock.now();
    const proposals: Array<{ queued: Queued; result: unknown; actions: StoreAction[] }> = [];
    for (const queued of group) {
      const tx = new Transaction(pending, now);
      let result: unknown;
      try {
        result = queued.fn(tx);
      } catch (err) {
        queued.reject(err);
        continue;
      }
      const actions = tx.actions();
      if (actions.length === 0) {
        queued.resolve(result);
        continue;
      }
      pending.add(actions, proposals.length);
      proposals.push({ queued, result, actions });
    }
    if (proposals.length === 0) this.scheduleTurn();
    else this.proposeGroup(proposals);
  }

  /** Proposes a group in one synchronous run (the proposer puts it in one batch); the next group waits for all of it. */
  private proposeGroup(proposals: ReadonlyArray<{ queued: Queued; result: unknown; actions: StoreAction[] }>): void {
    this.groupInFlight = true;
    let outstanding = proposals.length;
    const settled = new Set<Queued>();
    const settle = (queued: Queued, outcome: () => void) => {
      if (settled.has(queued)) return;
      settled.add(queued);
      outcome();
    };
    const done = () => {
      if (--outstanding > 0) return;
      this.groupInFlight = false;
      this.scheduleTurn();
    };
    for (const p of proposals) {
      propose(this.proposer, p.actions).then(
        () => {
          settle(p.queued, () => p.queued.resolve(p.result));
          done();
        },
        (err: unknown) => {
          // The first failure fails every transaction of the group not settled yet, with its error.
          for (const q of proposals) settle(q.queued, () => q.queued.reject(err));
          done();
        },
      );
    }
  }

  /** Applies committed actions, in log order; only the proposer calls it. */
  applyCommitted(actions: readonly StoreAction[], index: number): void {
    const events: StoreEvent[] = [];
    for (const a of actions) {
      const table = this.tables.get(a.table)!;
      if (a.kind === 'delete') {
        const old = table.get(a.id);
        if (!old) continue;
        table.delete(a.id);
        this.unindex(a.table, old);
        events.push({ kind: 'delete', table: a.table, object: old });
      } else {
        const object = withVersion(a.object, index);
        const old = table.get(object.id);
        if (old) this.unindex(a.table, old);
        table.set(object.id, object);
        this.reindex(a.table, object);
        events.push(old ? { kind: 'update', table: a.table, object, old } : { kind: 'create', table: a.table, object });
      }
    }
    this.index = index;
    events.push({ kind: 'commit', index });
    for (const e of events) for (const l of this.listeners) l(e);
  }

  /**
   * Replaces the whole state with the given objects (read back from disk, or a snapshot from the Raft leader),
   * without events: only followers and starting managers restore, and the leader's loops begin with a full pass.
   */
  restore(objects: Iterable<[TableName, StoreObject]>, index: number): void {
    for (const table of this.tables.values()) table.clear();
    this.tasksByService.clear();
    this.tasksByNode.clear();
    this.servicesByName.clear();
    for (const [table, object] of objects) {
      this.tables.get(table)!.set(object.id, object);
      this.reindex(table, object);
    }
    this.index = index;
  }

  /**
   * The state as the bytes of a Raft snapshot: one JSON line `[table, object]` per object, so that neither this nor
   * `restoreSnapshot` builds one string of the whole state (~130 MB with 100,000 tasks) or parses it in one piece.
   */
  encodeSnapshot(): Uint8Array {
    // Strings first, then one buffer: 100,000 small buffers would fragment the native heap the process keeps.
    const lines: string[] = [];
    let size = 0;
    for (const entry of this.objects()) {
      const line = `${JSON.stringify(entry)}\n`;
      lines.push(line);
      size += Buffer.byteLength(line);
    }
    const out = new Uint8Array(size);
    let at = 0;
    for (const line of lines) at += encoder.encodeInto(line, out.subarray(at)).written;
    return out;
  }

  /** `restore` from the bytes of `encodeSnapshot` (empty: the empty store). */
  restoreSnapshot(bytes: Uint8Array, index: number): void {
    this.restore(snapshotLines(bytes), index);
  }

  /** Every object with its table, for a snapshot of the state at `lastIndex` (restore takes it back). */
  *objects(): IterableIterator<[TableName, StoreObject]> {
    for (const [table, objects] of this.tables) for (const o of objects.values()) yield [table, o];
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  private reindex(table: TableName, object: StoreObject): void {
    if (table === 'tasks') {
      const t = object as Tables['tasks'];
      addTo(this.tasksByService, t.serviceId, t.id);
      if (t.nodeId) addTo(this.tasksByNode, t.nodeId, t.id);
    } else if (table === 'services') {
      this.servicesByName.set((object as Tables['services']).spec.annotations.name, object.id);
    }
  }

  private unindex(table: TableName, object: StoreObject): void {
    if (table === 'tasks') {
      const t = object as Tables['tasks'];
      removeFrom(this.tasksByService, t.serviceId, t.id);
      if (t.nodeId) removeFrom(this.tasksByNode, t.nodeId, t.id);
    } else if (table === 'services') {
      const name = (object as Tables['services']).spec.annotations.name;
      if (this.servicesByName.get(name) === object.id) this.servicesByName.delete(name);
    }
  }
}

/** Reads that see `changes` (an object, or null for a deletion) over `base`. */
class Overlay implements ReadTx {
  protected readonly changes = new Map<TableName, Map<string, StoreObject | null>>(TABLE_NAMES.map((t) => [t, new Map()]));

  constructor(private readonly base: ReadTx) {}

  get<T extends TableName>(table: T, id: string): Tables[T] | undefined {
    const changed = this.changes.get(table)!;
    if (changed.has(id)) return (changed.get(id) ?? undefined) as Tables[T] | undefined;
    return this.base.get(table, id);
  }

  all<T extends TableName>(table: T): Tables[T][] {
    const changed = this.changes.get(table)!;
    // Most layers change nothing in most tables: no copy then.
    if (changed.size === 0) return this.base.all(table);
    const out = this.base.all(table).filter((o) => !changed.has(o.id));
    for (const o of changed.values()) if (o) out.push(o as Tables[T]);
    return out;
  }

  findTasks(query: TaskQuery): Tables['tasks'][] {
    const changed = this.changes.get('tasks')! as Map<string, Tables['tasks'] | null>;
    if (changed.size === 0) return this.base.findTasks(query);
    const out = this.base.findTasks(query).filter((t) => !changed.has(t.id));
    for (const t of changed.values()) if (t && matches(t, query)) out.push(t);
    return out;
  }

  serviceByName(name: string): Tables['services'] | undefined {
    for (const s of this.changes.get('services')!.values()) {
      if (s && (s as Tables['services']).spec.annotations.name === name) return s as Tables['services'];
    }
    const s = this.base.serviceByName(name);
    return s && this.changes.get('services')!.has(s.id) ? undefined : s;
  }

  cluster(): Tables['clusters'] | undefined { return this.all('clusters')[0]; }
}

/** The store as the next transaction of a group sees it: the writes of the group's earlier ones over it. */
class PendingWrites extends Overlay {
  /** Adds the writes of the group's `nth` transaction; what it wrote gets the provisional version -(nth + 1). */
  add(actions: readonly StoreAction[], nth: number): void {
    for (const a of actions) {
      if (a.kind === 'delete') this.changes.get(a.table)!.set(a.id, null);
      else this.changes.get(a.table)!.set(a.object.id, withVersion(a.object, -(nth + 1)));
    }
  }
}

/** A write transaction: reads see its own writes first, then its base (the store, or a group's pending writes). */
class Transaction extends Overlay implements WriteTx {
  private readonly order: StoreAction[] = [];

  constructor(base: ReadTx, private readonly now: number) {
    super(base);
  }

  create<T extends TableName>(table: T, object: Tables[T]): void {
    if (this.get(table, object.id)) throw new AlreadyExistsError(`${singular(table)} ${object.id} already exists`);
    const stamped = { ...object, meta: { version: 0, createdAt: this.now, updatedAt: this.now } };
    this.record(table, stamped);
  }

  update<T extends TableName>(table: T, object: Tables[T]): void {
    const current = this.get(table, object.id);
    if (!current) throw new NotFoundError(`${singular(table)} ${object.id} not found`);
    if (current.meta.version !== object.meta.version) {
      throw new SequenceConflictError(`update out of sequence: ${singular(table)} ${object.id} changed meanwhile (version ${object.meta.version}, now ${current.meta.version})`);
    }
    this.record(table, { ...object, meta: { ...current.meta, updatedAt: this.now } });
  }

  delete(table: TableName, id: string): void {
    if (!this.get(table, id)) throw new NotFoundError(`${singular(table)} ${id} not found`);
    this.changes.get(table)!.set(id, null);
    this.order.push({ kind: 'delete', table, id });
  }

  actions(): StoreAction[] { return this.order; }

  private record(table: TableName, object: StoreObject): void {
    this.changes.get(table)!.set(object.id, object);
    this.order.push({ kind: 'put', table, object });
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const NEWLINE = 0x0a;

/** The objects of `encodeSnapshot`'s bytes, one line at a time (JSON.stringify escapes every newline in a value). */
function* snapshotLines(bytes: Uint8Array): IterableIterator<[TableName, StoreObject]> {
  let from = 0;
  while (from < bytes.length) {
    const end = bytes.indexOf(NEWLINE, from);
    const to = end === -1 ? bytes.length : end;
    yield JSON.parse(decoder.decode(bytes.subarray(from, to))) as [TableName, StoreObject];
    from = to + 1;
  }
}

/** A proposer that throws instead of rejecting fails its promise all the same. */
function propose(proposer: Proposer, actions: readonly StoreAction[]): Promise<number> {
  try {
    return proposer.propose(actions);
  } catch (err) {
    return Promise.reject(err);
  }
}

function matches(t: Tables['tasks'], q: TaskQuery): boolean {
  return (q.serviceId === undefined || t.serviceId === q.serviceId)
    && (q.nodeId === undefined || t.nodeId === q.nodeId)
    && (q.slot === undefined || t.slot === q.slot);
}

function withVersion<T extends StoreObject>(o: T, index: number): T {
  return { ...o, meta: { ...o.meta, version: index } };
}

function addTo(index: Map<string, Set<string>>, key: string, id: string): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(id);
}

function removeFrom(index: Map<string, Set<string>>, key: string, id: string): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(id);
  if (set.size === 0) index.delete(key);
}

function singular(table: TableName): string {
  return table === 'clusters' ? 'cluster' : table.slice(0, -1);
}
