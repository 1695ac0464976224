import { describe, expect, it } from 'vitest';
import { LogInvariantError, MemoryStorage, RawNode, type Message, type Ready } from '../../../packages/manager/src/raft/core/index.js';
import { ELECTION, Network, type TestNode } from './network.js';

/*
 * Thesis §10.2.1: the leader may send its appends while its own write is under way, and counts itself in the commit
 * quorum only once that write is done (`advance`). Each Ready here is handled by hand to open that window.
 */

const data = (s: string) => new TextEncoder().encode(s);

function persist(node: TestNode, rd: Ready): void {
  if (rd.compaction) node.storage.compact(rd.compaction);
  if (rd.snapshot) node.storage.applySnapshot(rd.snapshot);
  node.storage.append(rd.entries);
  if (rd.hardState) node.storage.setHardState(rd.hardState);
}

/** A follower's whole turn for one message: step, persist, advance; returns what it sends back. */
function followerAnswers(node: TestNode, m: Message): Message[] {
  node.raft.step(m);
  const rd = node.raft.ready();
  expect(node.raft.sendableBeforePersist(rd)).toEqual([]);
  persist(node, rd);
  node.raft.advance(rd);
  return rd.messages;
}

/** n1 leads a settled 3-voter cluster and proposes one entry: its Ready is handed out, its write not done. */
function leaderWriting(): { net: Network; rd: Ready; index: number; early: Message[] } {
  const net = new Network(['n1', 'n2', 'n3']);
  net.campaign('n1');
  const n1 = net.node('n1').raft;
  n1.propose(data('x'));
  const rd = n1.ready();
  const index = rd.entries[0]!.index;
  return { net, rd, index, early: n1.sendableBeforePersist(rd) };
}

describe('the leader writes in parallel with its followers', () => {
  it('sends its appends before its own write, and they carry the new entry', () => {
    const { rd, index, early } = leaderWriting();
    expect(early.map((m) => [m.type, m.to])).toEqual([['append', 'n2'], ['append', 'n3']]);
    expect(early.every((m) => m.entries.some((e) => e.index === index))).toBe(true);
    expect(rd.messages).toEqual(early);
  });

  it('does not count itself before its write: one follower on disk is not a quorum of three', () => {
    const { net, rd, index, early } = leaderWriting();
    const n1 = net.node('n1');
    const committedBefore = n1.raft.status().commit;
    for (const ack of followerAnswers(net.node('n2'), early[0]!)) n1.raft.step(ack);
    expect(n1.raft.status().commit).toBe(committedBefore);
    expect(n1.raft.status().progress.get('n1')?.match).toBe(index - 1);

    persist(n1, rd);
    n1.raft.advance(rd);
    expect(n1.raft.status().commit).toBe(index);
    expect(n1.raft.status().progress.get('n1')?.match).toBe(index);
    // The next Ready tells the followers and applies the entry.
    const next = n1.raft.ready();
    expect(next.committed.map((e) => e.index)).toEqual([index]);
    expect(next.messages.filter((m) => m.type === 'append').every((m) => m.commit === index)).toBe(true);
  });

  it('commits with the two followers alone while its own write is still under way (a quorum of three)', () => {
    const { net, rd, index, early } = leaderWriting();
    const n1 = net.node('n1');
    for (const [i, id] of ['n2', 'n3'].entries()) {
      for (const ack of followerAnswers(net.node(id), early[i]!)) n1.raft.step(ack);
    }
    expect(n1.raft.status().commit).toBe(index);
    expect(n1.raft.status().progress.get('n1')?.match).toBe(index - 1);
    persist(n1, rd);
    n1.raft.advance(rd);
    expect(n1.raft.status().progress.get('n1')?.match).toBe(index);
  });

  it('a lone voter commits its entry only once it is written', () => {
    const storage = new MemoryStorage({ confState: { voters: ['solo'] }, index: 1, term: 1 });
    const raft = new RawNode({ id: 'solo', storage, electionTicks: ELECTION, heartbeatTicks: 1, rand: () => 0 });
    raft.campaign();
    const first = raft.ready();
    expect(first.entries).toHaveLength(1);
    expect(raft.status().commit).toBe(1);
    storage.append(first.entries);
    storage.setHardState(first.hardState!);
    raft.advance(first);
    // Written: committed now, and the next Ready carries the commit and the entry to apply.
    expect(raft.status().commit).toBe(2);
    const second = raft.ready();
    expect(second.hardState).toMatchObject({ commit: 2 });
    expect(second.entries).toEqual([]);
    expect(second.committed.map((e) => e.index)).toEqual([2]);
  });

  it('a new leader does not count entries of its log that are still being written', () => {
    // Without check-quorum n3 answers n2's vote request although it heard from n1 recently.
    const net = new Network(['n1', 'n2', 'n3'], { checkQuorum: false, preVote: false });
    net.campaign('n1');
    net.propose('n1', 'a');
    // n2 gets one more entry from n1 and starts writing it, then is elected while the write is under way.
    const n1 = net.node('n1').raft;
    n1.propose(data('b'));
    const rd1 = n1.ready();
    const toN2 = n1.sendableBeforePersist(rd1).find((m) => m.to === 'n2')!;
    const n2 = net.node('n2');
    n2.raft.step(toN2);
    const writing = n2.raft.ready();
    const unwritten = writing.entries[0]!.index;
    n2.raft.campaign();
    // n3's vote, answered by hand (n1 hears nothing in this story).
    const requests = n2.raft.ready();
    for (const req of requests.messages.filter((m) => m.to === 'n3')) {
      for (const answer of followerAnswers(net.node('n3'), req)) n2.raft.step(answer);
    }
    expect(n2.raft.status().role).toBe('leader');
    expect(n2.raft.status().progress.get('n2')?.match).toBe(unwritten - 1);
  });
});

describe('entries committed while a write is under way', () => {
  it('are taken at once, count as applied, and are not handed out again by the next Ready', () => {
    const { net, rd, index, early } = leaderWriting();
    const n1 = net.node('n1').raft;
    for (const [i, id] of ['n2', 'n3'].entries()) {
      for (const ack of followerAnswers(net.node(id), early[i]!)) n1.step(ack);
    }
    expect(n1.takeCommitted().map((e) => e.index)).toEqual([index]);
    expect(n1.status().applied).toBe(index);
    expect(n1.takeCommitted()).toEqual([]);
    persist(net.node('n1'), rd);
    n1.advance(rd);
    expect(n1.status().applied).toBe(index);
    const next = n1.ready();
    expect(next.committed).toEqual([]);
  });

  it('are not covered by a compaction before they are written', () => {
    const { net, rd, index, early } = leaderWriting();
    const n1 = net.node('n1').raft;
    for (const [i, id] of ['n2', 'n3'].entries()) {
      for (const ack of followerAnswers(net.node(id), early[i]!)) n1.step(ack);
    }
    n1.takeCommitted();
    expect(n1.status()).toMatchObject({ applied: index, lastStableIndex: index - 1 });
    expect(() => n1.compact(index, data('state'), n1.confState())).toThrow(LogInvariantError);
    persist(net.node('n1'), rd);
    n1.advance(rd);
    n1.compact(index, data('state'), n1.confState());
    expect(n1.ready().compaction?.metadata.index).toBe(index);
  });
});
