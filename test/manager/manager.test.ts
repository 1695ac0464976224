// The manager persists through a one-voter Raft cluster: it keeps its state across a restart, and refuses a data dir
// that another process holds or whose log is damaged, without touching it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Level } from 'level';
import { call, controlClient, createLogger } from '@shoal/api';
import { startManager, type Manager } from '@shoal/manager';

const logger = createLogger('test', 'silent');

describe('manager on raft', () => {
  const dirs: string[] = [];
  const running: Manager[] = [];
  afterEach(async () => {
    for (const m of running.splice(0)) await m.stop();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  function tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'shoal-manager-'));
    dirs.push(dir);
    return dir;
  }

  async function start(dataDir: string): Promise<Manager> {
    const m = await startManager({ listen: '127.0.0.1:0', dataDir, heartbeatPeriodMs: 1000, logger });
    running.push(m);
    return m;
  }

  async function stop(m: Manager): Promise<void> {
    running.splice(running.indexOf(m), 1);
    await m.stop();
  }

  async function joinToken(m: Manager): Promise<string> {
    const c = controlClient(m.info.addr);
    try {
      return (await call<object, { token: string }>(c.GetJoinToken.bind(c) as never, { role: 'worker' })).token;
    } finally { c.close(); }
  }

  it('keeps the cluster, its node and its tokens across a restart', async () => {
    const dir = tempDir();
    const first = await start(dir);
    const token = await joinToken(first);
    await stop(first);

    const second = await start(dir);
    expect(second.info.clusterId).toBe(first.info.clusterId);
    expect(second.info.nodeId).toBe(first.info.nodeId);
    expect(await joinToken(second)).toBe(token);
  });

  it('refuses a data dir held by another process with a clear message', async () => {
    const dir = tempDir();
    await start(dir);
    await expect(startManager({ listen: '127.0.0.1:0', dataDir: dir, logger })).rejects.toThrow(`data dir ${join(dir, 'raft')} is in use by another shoal process`);
  });

  it('refuses a log with a corrupt entry, naming the directory and the entry, and deletes nothing', async () => {
    const dir = tempDir();
    await stop(await start(dir));
    const raftDir = join(dir, 'raft');
    const db = new Level<string, Uint8Array>(raftDir, { valueEncoding: 'view' });
    const keys: string[] = [];
    for await (const key of db.keys({ gte: 'e/', lt: 'e0' })) keys.push(key);
    const key = keys.at(-1)!;
    const value = await db.get(key);
    value![value!.length - 1]! ^= 0xff;
    await db.put(key, value!);
    const before = await db.iterator().all();
    await db.close();

    const index = Number(key.slice(2));
    await expect(startManager({ listen: '127.0.0.1:0', dataDir: dir, logger })).rejects.toThrow(`corrupt Raft log in ${raftDir}: entry ${index} fails its checksum`);
    // Every record is still there, the damaged one included: nothing was repaired or dropped.
    const again = new Level<string, Uint8Array>(raftDir, { valueEncoding: 'view' });
    expect(await again.iterator().all()).toEqual(before);
    await again.close();
  });
});
