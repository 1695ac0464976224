import { Level } from 'level';
import { FailedPreconditionError } from '@shoal/api';
import type { Applier, Proposer } from './proposer.js';
import { TABLE_NAMES, type StoreAction, type StoreObject, type TableName } from './tables.js';

const INDEX_KEY = 'index';
const objectKey = (table: TableName, id: string) => `obj/${table}/${id}`;

/**
 * The single-manager proposer: a transaction is committed once its batch is synced to LevelDB, then applied.
 * Keys: obj/<table>/<id> -> JSON object, index -> last committed index.
 */
export class LevelProposer implements Proposer {
  private index: number;
  private apply: Applier = () => { throw new Error('LevelProposer: the store did not set its applier'); };

  private constructor(private readonly db: Level<string, string>, index: number) { this.index = index; }

  /** Opens (or creates) the store's database and reads back every object. */
  static async open(path: string): Promise<{ proposer: LevelProposer; objects: Array<[TableName, StoreObject]>; index: number }> {
    const db = new Level<string, string>(path, { valueEncoding: 'utf8' });
    try {
      await db.open();
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause;
      if (cause?.code === 'LEVEL_LOCKED') throw new FailedPreconditionError(`data dir ${path} is in use by another shoal process`);
      throw new FailedPreconditionError(`cannot open the store at ${path}: ${(err as Error).message}${cause ? ` (${String((cause as Error).message ?? cause.code)})` : ''}`);
    }
    const objects: Array<[TableName, StoreObject]> = [];
    for (const table of TABLE_NAMES) {
      for await (const [key, value] of db.iterator({ gte: `obj/${table}/`, lt: `obj/${table}/\xff` })) {
        try {
          objects.push([table, JSON.parse(value) as StoreObject]);
        } catch {
          await db.close();
          throw new FailedPreconditionError(`corrupt store record ${key} in ${path}`);
        }
      }
    }
    const index = Number((await db.get(INDEX_KEY)) ?? 0);
    return { proposer: new LevelProposer(db, index), objects, index };
  }

  setApplier(apply: Applier): void { this.apply = apply; }

  async propose(actions: readonly StoreAction[]): Promise<number> {
    const index = this.index + 1;
    const ops = actions.map((a) => a.kind === 'delete'
      ? { type: 'del' as const, key: objectKey(a.table, a.id) }
      : { type: 'put' as const, key: objectKey(a.table, a.object.id), value: JSON.stringify({ ...a.object, meta: { ...a.object.meta, version: index } }) });
    ops.push({ type: 'put', key: INDEX_KEY, value: String(index) });
    await this.db.batch(ops, { sync: true });
    this.index = index;
    this.apply(actions, index);
    return index;
  }

  close(): Promise<void> { return this.db.close(); }
}
