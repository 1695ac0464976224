import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RawNode } from '../../../packages/manager/src/raft/core/index.js';
import { LevelStorage } from '../../../packages/manager/src/raft/storage/index.js';

let dir = '';
let storage: LevelStorage | undefined;

afterEach(async () => {
  await storage?.close();
  storage = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const text = (s: string) => new TextEncoder().encode(s);

/** The driver's loop, synchronous network aside: persist each Ready with one save, then advance. */
async function drain(node: RawNode, s: LevelStorage, applied: string[]): Promise<void> {
  while (node.hasReady()) {
    const rd = node.ready();
    await s.save(rd);
    for (const e of rd.committed) if (e.type === 'normal' && e.data.byteLength > 0) applied.push(new TextDecoder().decode(e.data));
    node.advance(rd);
  }
}

const start = (s: LevelStorage, applied?: number) =>
  new RawNode({ id: 'a', storage: s, electionTicks: 10, heartbeatTicks: 1, rand: () => 0, ...(applied === undefined ? {} : { applied }) });

describe('a RawNode over LevelStorage', () => {
  it('restarts from the reopened directory with its term, vote, commit, snapshot and log', async () => {
    dir = mkdtempSync(join(tmpdir(), 'shoal-raft-restart-'));
    storage = await LevelStorage.open(dir);
    // A one-manager cluster starts from a snapshot naming its voter.
    await storage.applySnapshot({ metadata: { index: 1, term: 1, confState: { voters: ['a'] } }, data: text('init') });
    const applied: string[] = [];
    const first = start(storage);
    first.campaign();
    await drain(first, storage, applied);
    for (const v of ['x', 'y']) first.propose(text(v));
    await drain(first, storage, applied);
    first.compact(first.status().applied, text('x,y'), first.confState());
    first.propose(text('z'));
    await drain(first, storage, applied);
    const before = first.status();
    expect(applied).toEqual(['x', 'y', 'z']);
    expect(before.role).toBe('leader');

    await storage.close();
    storage = await LevelStorage.open(dir);
    expect(new TextDecoder().decode(storage.snapshot().data)).toBe('x,y');
    expect(storage.initialState().hardState).toEqual({ term: before.term, vote: 'a', commit: before.commit });
    const again = start(storage, storage.initialState().hardState.commit);
    expect(again.status()).toMatchObject({ term: before.term, commit: before.commit, lastIndex: before.lastIndex });
    again.campaign();
    again.propose(text('w'));
    const more: string[] = [];
    await drain(again, storage, more);
    expect(more).toEqual(['w']);
  });
});
