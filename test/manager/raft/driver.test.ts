// Three RaftDrivers in one process on an in-memory network, MemoryStorage, one FakeClock driving every tick.
import { describe, expect, it } from 'vitest';
import { FakeClock, seededRand, UnavailableError } from '@shoal/api';
import { MemoryStorage, type NodeId } from '../../../packages/manager/src/raft/core/index.js';
import { RaftDriver, type RaftDriverOptions } from '../../../packages/manager/src/raft/driver.js';
import { NoQuorumError, NotLeaderError } from '../../../packages/manager/src/raft/errors.js';
import { storageLog, type RaftLog } from '../../../packages/manager/src/raft/raft-log.js';
import type { RaftTransport } from '../../../packages/manager/src/raft/transport.js';
import type { StoreAction } from '../../../packages/manager/src/store/index.js';
import { MemoryNetwork } from './memory-transport.js';

const TICK = 100;
const ELECTION = 10;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Lets every queued microtask run: messages, writes and loop turns of the in-memory cluster. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

const action = (n: number): StoreAction[] => [{ kind: 'delete', table: 'tasks', id: `t${n}` }];

interface Member {
  readonly id: NodeId;
  readonly storage: MemoryStorage;
  readonly driver: RaftDriver;
  /** The state machine: what was applied, in order, as `index:task`. */
  applied: string[];
  restores: number;
  leaders: NodeId[];
}

class Cluster {
  readonly clock = new FakeClock();
  readonly net = new MemoryNetwork();
  readonly members = new Map<NodeId, Member>();
  /** Fatal errors of any member: a test ends with none. */
  readonly fatal: Error[] = [];

  constructor(private readonly options: Partial<RaftDriverOptions> = {}) {}

  static async founded(ids: readonly NodeId[], options: Partial<RaftDriverOptions> = {}): Promise<Cluster> {
    const c = new Cluster(options);
    const addrs = new Map(ids.map((id) => [id, addr(id)]));
    for (const id of ids) await c.add(id, (opts) => RaftDriver.bootstrap({ ...opts, members: addrs }));
    return c;
  }

  /** Starts a member over `storage` (a fresh one, or the "disk" of a member that stopped). */
  async add(
    id: NodeId,
    create: (opts: RaftDriverOptions) => RaftDriver | Promise<RaftDriver>,
    extra: Partial<RaftDriverOptions> = {},
    storage = new MemoryStorage(),
  ): Promise<Member> {
    const member: Member = { id, storage, applied: [], restores: 0, leaders: [], driver: undefined as unknown as RaftDriver };
    const driver = await create({
      id, addr: addr(id), storage, transport: this.net.transport(id), clock: this.clock,
      rand: seededRand(this.members.size + 1), tickMs: TICK, electionTicks: ELECTION,
      snapshot: () => encoder.encode(JSON.stringify(member.applied)),
      restore: (state) => {
        member.restores++;
        member.applied = state.length === 0 ? [] : (JSON.parse(decoder.decode(state)) as string[]);
      },
      onFatal: (err) => this.fatal.push(err),
      ...this.options,
      ...extra,
    });
    driver.setApplier((actions, index) => {
      for (const a of actions) if (a.kind === 'delete') member.applied.push(`${index}:${a.id}`);
    });
    driver.onLeaderChange((leader) => member.leaders.push(leader));
    Object.assign(member, { driver });
    this.members.set(id, member);
    await driver.start();
    return member;
  }

  member(id: NodeId): Member {
    const m = this.members.get(id);
    if (!m) throw new Error(`no member ${id}`);
    return m;
  }

  async ticks(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      this.clock.advance(TICK);
      await settle();
    }
  }

  leaders(among: readonly NodeId[] = [...this.members.keys()]): NodeId[] {
    return among.filter((id) => this.member(id).driver.isLeader);
  }

  async elect(): Promise<Member> {
    await this.ticks(3 * ELECTION);
    const leaders = this.leaders();
    expect(leaders).toHaveLength(1);
    return this.member(leaders[0]!);
  }

  followers(): Member[] {
    return [...this.members.values()].filter((m) => !m.driver.isLeader);
  }

  async stop(): Promise<void> {
    for (const m of this.members.values()) await m.driver.stop();
    expect(this.fatal).toEqual([]);
  }
}

const addr = (id: NodeId) => `addr-${id}`;

/** A RaftLog whose writes wait while it is closed. */
class WriteGate implements RaftLog {
  private wait: Promise<void> = Promise.resolve();
  private release = () => {};

  constructor(private readonly inner: RaftLog) {}

  close(): void {
    this.wait = new Promise((resolve) => { this.release = resolve; });
  }

  open(): void {
    this.release();
  }

  async save(write: Parameters<RaftLog['save']>[0]): Promise<void> {
    await this.wait;
    await this.inner.save(write);
  }
}

describe('RaftDriver', () => {
  it('elects one leader that every member observes', async () => {
    const c = await Cluster.founded(['n1', 'n2', 'n3']);
    const leader = await c.elect();
    for (const m of c.members.values()) {
      expect(m.leaders.at(-1)).toBe(leader.id);
      expect(m.driver.leaderInfo()).toEqual({ id: leader.id, addr: addr(leader.id) });
    }
    await c.stop();
  });

  it('batches 100 concurrent proposals, resolves each with its index once applied, and every member applies the same sequence', async () => {
    const c = await Cluster.founded(['n1', 'n2', 'n3']);
    const leader = await c.elect();
    const appendsBefore = c.net.sent.filter((m) => m.type === 'append' && m.entries.length > 0).length;
    const results = Promise.all(Array.from({ length: 100 }, (_, i) => leader.driver.propose(action(i))));
    await settle();
    const indexes = await results;
    for (let i = 1; i < indexes.length; i++) expect(indexes[i]).toBe(indexes[i - 1]! + 1);
    // Applied on the leader before its proposal resolved.
    expect(leader.applied.slice(-100)).toEqual(indexes.map((index, i) => `${index}:t${i}`));
    // One entry batch, sent to each follower as two appends (at most 64 entries each).
    expect(c.net.sent.filter((m) => m.type === 'append' && m.entries.length > 0).length - appendsBefore).toBe(4);
    await c.ticks(2);
    for (const m of c.followers()) expect(m.applied).toEqual(leader.applied);
    await c.stop();
  });

  it('rejects a proposal on a follower at once, naming the leader', async () => {
    const c = await Cluster.founded(['n1', 'n2', 'n3']);
    const leader = await c.elect();
    const follower = c.followers()[0]!;
    const err = await follower.driver.propose(action(1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotLeaderError);
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as Error).message).toBe(`not the leader: the leader is ${leader.id} at ${addr(leader.id)}`);
    expect((err as NotLeaderError).leaderAddr).toBe(addr(leader.id));
    await c.stop();
  });

  it('fails an isolated leader\'s proposals within an election timeout; the others elect a leader and commit; the old leader catches up', async () => {
    const c = await Cluster.founded(['n1', 'n2', 'n3']);
    const old = await c.elect();
    await old.driver.propose(action(0));
    c.net.isolate(old.id);
    const outcomes: Array<{ tick: number; error: unknown }> = [];
    let tick = 0;
    for (let i = 1; i <= 5; i++) old.driver.propose(action(i)).catch((error: unknown) => outcomes.push({ tick, error }));
    for (; tick <= ELECTION && outcomes.length < 5; tick++) await c.ticks(1);
    expect(outcomes).toHaveLength(5);
    for (const o of outcomes) {
      expect(o.error).toBeInstanceOf(NoQuorumError);
      expect((o.error as Error).message).toBe('no quorum: 1 of 3 managers reachable');
    }
    await expect(old.driver.propose(action(6))).rejects.toThrow('no quorum: 1 of 3 managers reachable');

    await c.ticks(3 * ELECTION);
    const others = [...c.members.keys()].filter((id) => id !== old.id);
    const [fresh] = c.leaders(others);
    expect(fresh).toBeDefined();
    const index = await c.member(fresh!).driver.propose(action(7));
    expect(c.member(fresh!).applied.at(-1)).toBe(`${index}:t7`);

    c.net.heal();
    await c.ticks(2 * ELECTION);
    expect(c.leaders()).toEqual([fresh]);
    expect(old.applied).toEqual(c.member(fresh!).applied);
    expect(old.applied.some((a) => /:t[1-6]$/.test(a))).toBe(false);
    await c.stop();
  });

  it.each(['leader', 'follower'] as const)('with 2 of 3 stopped, the surviving %s rejects proposals: no quorum', async (survivor) => {
    const c = await Cluster.founded(['n1', 'n2', 'n3']);
    const leader = await c.elect();
    const left = survivor === 'leader' ? leader : c.followers()[0]!;
    for (const m of c.members.values()) if (m !== left) await m.driver.stop();
    const pending = left.driver.propose(action(1)).catch((e: unknown) => e);
    await c.ticks(ELECTION + 1);
    const err = await pending;
    expect(err).toBeInstanceOf(UnavailableError);
    if (survivor === 'leader') expect((err as Error).message).toBe('no quorum: 1 of 3 managers reachable');
    else {
      // A follower heard only from its leader: for two election timeouts after it went, the silence of the other
      // follower is no proof that it is gone.
      await expect(left.driver.propose(action(2))).rejects.toThrow('no leader: an election is under way');
      await c.ticks(2 * ELECTION);
    }
    await expect(left.driver.propose(action(3))).rejects.toThrow('no quorum: 1 of 3 managers reachable');
    await left.driver.stop();
  });

  it('a follower whose leader died never claims no quorum while the other follower lives; they elect a leader', async () => {
    const c = await Cluster.founded(['n1', 'n2', 'n3']);
    const leader = await c.elect();
    await leader.driver.propose(action(0));
    await leader.driver.stop();
    const [f1, f2] = c.followers().filter((f) => f !== leader) as [Member, Member];
    const seen = new Set<string>();
    for (let tick = 0; tick < 4 * ELECTION && c.leaders([f1.id, f2.id]).length === 0; tick++) {
      for (const f of [f1, f2]) {
        const err = await f.driver.propose(action(1)).then(() => undefined, (e: unknown) => e);
        if (err) seen.add((err as Error).message.replace(/ at .*/, '').replace(/is n\d/, 'is …'));
      }
      await c.ticks(1);
    }
    expect([...seen].filter((m) => m.startsWith('no quorum'))).toEqual([]);
    expect(seen).toContain('no leader: an election is under way, try again in a moment');
    const [fresh] = c.leaders([f1.id, f2.id]);
    expect(fresh).toBeDefined();
    const index = await c.member(fresh!).driver.propose(action(2));
    expect(c.member(fresh!).applied.at(-1)).toBe(`${index}:t2`);
    await f1.driver.stop();
    await f2.driver.stop();
  });

  it('compacts every N entries and brings a far-behind follower up to date with a snapshot', async () => {
    const c = await Cluster.founded(['n1', 'n2', 'n3'], { snapshotEvery: 5 });
    const leader = await c.elect();
    const behind = c.followers()[0]!;
    c.net.isolate(behind.id);
    for (let i = 0; i < 30; i++) await leader.driver.propose(action(i));
    await c.ticks(1);
    expect(leader.storage.snapshot().metadata.index).toBeGreaterThan(25);
    expect(leader.storage.firstIndex()).toBeGreaterThan(behind.storage.lastIndex() + 1);

    c.net.heal();
    await c.ticks(ELECTION);
    expect(behind.restores).toBe(1);
    expect(behind.applied).toEqual(leader.applied);
    expect(behind.applied).toHaveLength(30);
    const index = await leader.driver.propose(action(99));
    await c.ticks(1);
    expect(behind.applied.at(-1)).toBe(`${index}:t99`);
    await c.stop();
  });

  it('a member restarted over its stored log restores the snapshot, replays the rest and rejoins', async () => {
    const c = await Cluster.founded(['n1', 'n2', 'n3'], { snapshotEvery: 5 });
    const leader = await c.elect();
    for (let i = 0; i < 12; i++) await leader.driver.propose(action(i));
    await c.ticks(1);
    const old = c.followers()[0]!;
    await old.driver.stop();
    await leader.driver.propose(action(12));

    const again = await c.add(old.id, (opts) => new RaftDriver(opts), {}, old.storage);
    expect(again.restores).toBe(1);
    expect(again.applied.length).toBeGreaterThanOrEqual(5);
    await c.ticks(2);
    expect(again.applied).toEqual(leader.applied);
    expect(again.applied).toHaveLength(13);
    await c.stop();
  });

  it('commits every proposal over a network that drops a third of the messages', async () => {
    const c = await Cluster.founded(['n1', 'n2', 'n3']);
    const loss = seededRand(7);
    c.net.drop = () => loss.bytes(1)[0]! < 85;
    await c.ticks(5 * ELECTION);
    const indexes: number[] = [];
    for (let i = 0; i < 20; i++) {
      const [leader] = c.leaders();
      if (!leader) {
        await c.ticks(1);
        continue;
      }
      let settled = false;
      c.member(leader).driver.propose(action(i)).then((index) => indexes.push(index), () => undefined).finally(() => { settled = true; });
      // Never hangs: within two election timeouts the proposal is applied or rejected.
      for (let t = 0; t < 2 * ELECTION && !settled; t++) await c.ticks(1);
      expect(settled).toBe(true);
    }
    c.net.heal();
    await c.ticks(2 * ELECTION);
    expect(indexes.length).toBeGreaterThan(10);
    const [first, ...rest] = [...c.members.values()].map((m) => m.applied);
    for (const applied of rest) expect(applied).toEqual(first);
    for (const index of indexes) expect(first!.some((a) => a.startsWith(`${index}:`))).toBe(true);
    await c.stop();
  });

  it('rejects a proposal the leader cannot get acknowledged within two election timeouts, though it keeps its quorum', async () => {
    const c = await Cluster.founded(['n1', 'n2', 'n3']);
    const leader = await c.elect();
    c.net.drop = (m) => m.type === 'append' || m.type === 'append-response';
    let error: unknown;
    leader.driver.propose(action(1)).catch((e: unknown) => { error = e; });
    await settle();
    await c.ticks(2 * ELECTION - 1);
    expect(error).toBeUndefined();
    await c.ticks(1);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).message).toMatch(/^entry \d+ was not committed within 2000 ms/);
    expect(c.leaders()).toEqual([leader.id]);
    c.net.heal();
    await expect(leader.driver.propose(action(2))).resolves.toBeGreaterThan(0);
    await c.stop();
  });

  it('adds a joining voter, which learns the log from the leader, and removes it again', async () => {
    const c = await Cluster.founded(['n1', 'n2', 'n3']);
    const leader = await c.elect();
    await leader.driver.propose(action(1));
    const peers = new Map([...c.members.keys()].map((id) => [id, addr(id)]));
    const joiner = await c.add('n4', (opts) => RaftDriver.join(opts), { peers });

    const first = leader.driver.addVoter('n4', addr('n4'));
    await expect(leader.driver.addVoter('n5', addr('n5'))).rejects.toThrow('a membership change is under way');
    await first;
    // The joiner gets the founding snapshot, then the entries after it.
    await c.ticks(5);
    expect(leader.driver.members().map((m) => m.id).sort()).toEqual(['n1', 'n2', 'n3', 'n4']);
    expect(c.net.peersOf.get(c.followers().find((m) => m.id !== 'n4')!.id)?.get('n4')).toBe(addr('n4'));
    const index = await leader.driver.propose(action(2));
    await c.ticks(1);
    expect(joiner.applied).toEqual(leader.applied);
    expect(joiner.applied.at(-1)).toBe(`${index}:t2`);

    await expect(leader.driver.removeVoter(leader.id)).rejects.toThrow('transfer leadership before removing it');
    await leader.driver.removeVoter('n4');
    await c.ticks(2);
    for (const id of ['n1', 'n2', 'n3']) {
      expect(c.member(id).driver.members().map((m) => m.id).sort()).toEqual(['n1', 'n2', 'n3']);
      expect(c.net.peersOf.get(id)?.has('n4')).toBe(false);
    }
    await joiner.driver.stop();
    // Three voters again: two make a quorum without n4.
    await expect(leader.driver.propose(action(3))).resolves.toBeGreaterThan(index);
    await c.stop();
  });

  it('transfers leadership and tells every member', async () => {
    const c = await Cluster.founded(['n1', 'n2', 'n3']);
    const leader = await c.elect();
    const to = c.followers()[0]!;
    const done = leader.driver.transferLeadership(to.id);
    await expect(leader.driver.propose(action(1))).rejects.toThrow(`leadership is being transferred to ${to.id}`);
    await c.ticks(2);
    await done;
    expect(c.leaders()).toEqual([to.id]);
    for (const m of c.members.values()) expect(m.leaders.at(-1)).toBe(to.id);
    await c.stop();
  });

  it('a lone founding member leads at once and commits alone', async () => {
    const c = await Cluster.founded(['n1']);
    await settle();
    expect(c.member('n1').driver.isLeader).toBe(true);
    await expect(c.member('n1').driver.propose(action(1))).resolves.toBe(3);
    await c.stop();
  });

  it('stops taking part when a write fails: pending proposals reject with the write\'s error', async () => {
    const net = new MemoryNetwork();
    const fatal: Error[] = [];
    const broken = new Error('disk full');
    const driver = new RaftDriver({
      id: 'n1', addr: 'a1', storage: new MemoryStorage({ confState: { voters: ['n1'] }, index: 1, term: 1 }),
      log: { save: async () => { throw broken; } }, onFatal: (err) => fatal.push(err),
      transport: net.transport('n1'), clock: new FakeClock(), rand: seededRand(1),
      snapshot: () => new Uint8Array(0), restore: () => {},
    });
    driver.setApplier(() => {});
    await driver.start();
    // A lone voter leads at once; the proposal joins the first write, which fails.
    const pending = driver.propose(action(1)).catch((e: unknown) => e);
    await settle();
    expect(fatal).toEqual([broken]);
    expect(await pending).toBe(broken);
    await expect(driver.propose(action(2))).rejects.toBe(broken);
    await driver.stop();
  });

  it('a leader sends its appends while its own write is under way, and applies what the followers commit meanwhile', async () => {
    const ids = ['n1', 'n2', 'n3'];
    const members = new Map(ids.map((id) => [id, addr(id)]));
    const c = new Cluster();
    const gates = new Map<NodeId, WriteGate>();
    for (const id of ids) {
      const storage = new MemoryStorage();
      const gate = new WriteGate(storageLog(storage));
      gates.set(id, gate);
      await c.add(id, (opts) => RaftDriver.bootstrap({ ...opts, members }), { log: gate }, storage);
    }
    const leader = await c.elect();
    const gate = gates.get(leader.id)!;
    gate.close();
    const before = leader.storage.lastIndex();
    const applied = leader.driver.propose(action(1));
    await settle();
    // The followers have the entry on disk and are a quorum: it is committed and applied, though the leader's own
    // write of it still waits.
    for (const f of c.followers()) expect(f.storage.lastIndex()).toBe(before + 1);
    expect(leader.storage.lastIndex()).toBe(before);
    await expect(applied).resolves.toBe(before + 1);
    expect(leader.applied.at(-1)).toBe(`${before + 1}:t1`);
    gate.open();
    await c.ticks(2);
    expect(leader.storage.lastIndex()).toBeGreaterThanOrEqual(before + 1);
    for (const m of c.members.values()) expect(m.applied.at(-1)).toBe(`${before + 1}:t1`);
    await c.stop();
  });

  it('persists each Ready before sending any of its messages, one write at a time', async () => {
    const clock = new FakeClock();
    const storage = new MemoryStorage();
    const inner = storageLog(storage);
    let gate: Promise<void> | undefined;
    let open = () => {};
    let writing = 0;
    let maxWriting = 0;
    const events: string[] = [];
    const log: RaftLog = {
      async save(write) {
        writing++;
        maxWriting = Math.max(maxWriting, writing);
        events.push('save');
        await gate;
        await inner.save(write);
        events.push('saved');
        writing--;
      },
    };
    const transport: RaftTransport = {
      start: async () => {},
      send: (messages) => { if (messages.length > 0) events.push(`send ${messages.map((m) => m.type).join(',')}`); },
      setPeer: () => {},
      removePeer: () => {},
      stop: async () => {},
    };
    const members = new Map([['n1', 'a1'], ['n2', 'a2'], ['n3', 'a3']]);
    const driver = await RaftDriver.bootstrap({
      id: 'n1', addr: 'a1', storage, log, transport, clock, rand: seededRand(1), tickMs: TICK, electionTicks: ELECTION,
      members, snapshot: () => new Uint8Array(0), restore: () => {},
    });
    driver.setApplier(() => {});
    gate = new Promise((resolve) => { open = resolve; });
    events.length = 0;
    await driver.start();
    // The first Ready waits at the gate while the node times out and campaigns behind it.
    for (let i = 0; i < 2 * ELECTION; i++) {
      clock.advance(TICK);
      await settle();
    }
    expect(events).toEqual(['save']);
    open();
    await settle();
    const sends = events.flatMap((e, i) => (e.startsWith('send') ? [i] : []));
    expect(events[sends[0]!]).toMatch(/^send pre-vote,pre-vote$/);
    for (const i of sends) expect(events[i - 1]).toBe('saved');
    expect(maxWriting).toBe(1);
    await driver.stop();
  });
});
