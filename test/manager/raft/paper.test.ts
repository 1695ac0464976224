import { describe, expect, it } from 'vitest';
import {
  LogInvariantError,
  MemoryStorage,
  newMessage,
  ProposalDroppedError,
  RawNode,
  type Message,
} from '../../../packages/manager/src/raft/core/index.js';
import { ELECTION, entriesOfTerms, Network } from './network.js';

const voters3 = ['n1', 'n2', 'n3'];

/** A 3-node cluster with n1 elected in term 1. */
function electedCluster(options?: ConstructorParameters<typeof Network>[1]): Network {
  const net = new Network(voters3, options);
  net.campaign('n1');
  return net;
}

/** A node over a storage holding `terms` after a bootstrap snapshot at index 1, term 1. */
function storageWith(terms: readonly number[], currentTerm: number): MemoryStorage {
  const s = new MemoryStorage({ confState: { voters: voters3 }, index: 1, term: 1 });
  s.append(entriesOfTerms(2, terms));
  s.setHardState({ term: currentTerm, vote: '', commit: 1 });
  return s;
}

function messagesOf(raft: RawNode): Message[] {
  const rd = raft.ready();
  raft.advance(rd);
  return rd.messages;
}

describe('§5.2 leader election', () => {
  it('§5.2 a follower that hears from no leader for its election timeout campaigns and wins with a majority', () => {
    const net = new Network(voters3);
    net.tick('n1', ELECTION - 1);
    expect(net.status('n1').role).toBe('follower');
    net.tick('n1');
    expect(net.status('n1')).toMatchObject({ role: 'leader', term: 1 });
    expect(net.status('n2')).toMatchObject({ role: 'follower', leader: 'n1', term: 1 });
  });

  it('§5.2 election timeouts are randomized in [electionTicks, 2·electionTicks)', () => {
    for (const offset of [0, ELECTION - 1]) {
      const net = new Network([]);
      net.add('solo', new MemoryStorage({ confState: { voters: ['solo'] }, index: 1, term: 1 }), offset);
      net.tick('solo', ELECTION + offset - 1);
      expect(net.status('solo').role).toBe('follower');
      net.tick('solo');
      expect(net.status('solo').role).toBe('leader');
    }
  });

  it('§5.2 a node grants at most one vote per term, first come first served', () => {
    const raft = new RawNode({ id: 'n3', storage: storageWith([], 1), electionTicks: ELECTION, heartbeatTicks: 1, rand: () => 0 });
    raft.step(newMessage({ type: 'vote', from: 'n1', to: 'n3', term: 2, index: 1, logTerm: 1 }));
    raft.step(newMessage({ type: 'vote', from: 'n2', to: 'n3', term: 2, index: 1, logTerm: 1 }));
    const answers = messagesOf(raft).map((m) => [m.to, m.reject]);
    expect(answers).toEqual([['n1', false], ['n2', true]]);
    expect(raft.status().vote).toBe('n1');
  });

  it('§5.2 a candidate that hears from a leader of its term returns to follower', () => {
    const net = new Network(voters3, { preVote: false });
    net.isolate('n2');
    net.campaign('n2');
    expect(net.status('n2')).toMatchObject({ role: 'candidate', term: 1 });
    net.recover();
    net.campaign('n1'); // term 1 as well: n3 votes for n1, n2 (voted for itself) does not
    expect(net.status('n1')).toMatchObject({ role: 'leader', term: 1 });
    expect(net.status('n2')).toMatchObject({ role: 'follower', leader: 'n1' });
  });

  it('§5.2 a split vote ends with a timeout and a new election in a higher term', () => {
    const net = new Network(['n1', 'n2', 'n3', 'n4'], { preVote: false });
    net.cut('n1', 'n3');
    net.cut('n1', 'n4');
    net.cut('n2', 'n3');
    net.cut('n2', 'n4');
    net.campaign('n1');
    net.campaign('n3');
    expect(net.leaders()).toEqual([]);
    net.recover();
    net.tickAll(3 * ELECTION);
    expect(net.leaders()).toHaveLength(1);
  });
});

describe('§5.3 log replication', () => {
  it('§5.3 the leader commits an entry once a majority stores it, and followers apply it from the commit index', () => {
    const net = electedCluster();
    net.isolate('n3');
    net.propose('n1', 'x=1');
    expect(net.commands('n1')).toEqual(['x=1']);
    expect(net.commands('n3')).toEqual([]);
    // The commit index reaches n2 with the next append or heartbeat.
    net.tick('n1');
    expect(net.commands('n2')).toEqual(['x=1']);
    net.recover();
    net.tick('n1');
    expect(net.commands('n3')).toEqual(['x=1']);
  });

  it('§5.3 the consistency check rejects an append whose previous entry differs, and the leader backs off a whole term per round trip (Figure 7 f)', () => {
    const net = new Network([]);
    // Figure 7: the leader's log and follower (f)'s, shifted by the bootstrap entry at index 1.
    net.add('n1', storageWith([1, 1, 1, 4, 4, 5, 5, 6, 6, 6], 6), 0);
    net.add('n2', storageWith([1, 1, 1, 4, 4, 5, 5, 6, 6, 6], 6), 5);
    net.add('n3', storageWith([1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3], 3), 9);
    net.campaign('n1');
    expect(net.status('n1')).toMatchObject({ role: 'leader', term: 7 });
    const appendsToF = net.sent.filter((m) => m.type === 'append' && m.to === 'n3');
    // One probe, one rejection hinting (11, term 3), then the append after index 4 (the last of a term <= 3).
    expect(appendsToF.map((m) => m.index).slice(0, 2)).toEqual([11, 4]);
    expect(net.sent.filter((m) => m.type === 'append-response' && m.from === 'n3' && m.reject)).toHaveLength(1);
    expect(net.status('n3').lastIndex).toBe(net.status('n1').lastIndex);
    for (let i = 1; i <= net.status('n1').lastIndex; i++) expect(net.node('n3').raft.termAt(i)).toBe(net.node('n1').raft.termAt(i));
  });

  it('§5.3 an append below the follower\'s commit index is answered with that index and changes nothing', () => {
    const raft = new RawNode({ id: 'n2', storage: storageWith([2, 2], 2), electionTicks: ELECTION, heartbeatTicks: 1, rand: () => 0 });
    raft.step(newMessage({ type: 'heartbeat', from: 'n1', to: 'n2', term: 2, commit: 3 }));
    expect(raft.status().commit).toBe(3);
    messagesOf(raft);
    raft.step(newMessage({ type: 'append', from: 'n1', to: 'n2', term: 2, index: 1, logTerm: 1, entries: entriesOfTerms(2, [3]) }));
    expect(raft.termAt(2)).toBe(2);
    expect(messagesOf(raft).map((m) => [m.type, m.index, m.reject])).toEqual([['append-response', 3, false]]);
  });
});

describe('§5.4 safety', () => {
  it('§5.4.1 a voter denies its vote to a candidate whose log is less up to date', () => {
    const raft = new RawNode({ id: 'n2', storage: storageWith([2, 2], 2), electionTicks: ELECTION, heartbeatTicks: 1, rand: () => 0 });
    raft.step(newMessage({ type: 'vote', from: 'n1', to: 'n2', term: 3, index: 5, logTerm: 1 })); // older last term
    raft.step(newMessage({ type: 'vote', from: 'n3', to: 'n2', term: 4, index: 2, logTerm: 2 })); // same term, shorter
    raft.step(newMessage({ type: 'vote', from: 'n4', to: 'n2', term: 5, index: 3, logTerm: 2 })); // as up to date
    expect(messagesOf(raft).map((m) => [m.to, m.reject])).toEqual([['n1', true], ['n3', true], ['n4', false]]);
  });

  it('§5.4.2 a leader does not commit an entry of an earlier term by counting replicas (Figure 8)', () => {
    const net = new Network([], { maxEntriesPerMessage: 1 });
    net.add('n1', storageWith([2], 2), 0); // index 2, term 2: never committed
    net.add('n2', storageWith([], 2), 5);
    net.add('n3', storageWith([], 2), 9);
    net.isolate('n3');
    // Once n2 holds index 2, entries of the new term (the leader's no-op at index 3) do not get through.
    net.filter = (m) => !(m.type === 'append' && m.entries.some((e) => e.term === 3) && net.node('n2').raft.termAt(2) === 2);
    net.campaign('n1');
    expect(net.status('n1')).toMatchObject({ role: 'leader', term: 3 });
    expect(net.node('n2').raft.termAt(2)).toBe(2); // on a majority now…
    expect(net.status('n1').commit).toBe(1); // …and still not committed
    net.recover();
    net.tick('n1');
    // Committing the term-3 no-op commits index 2 with it (§5.4.2: indirectly).
    expect(net.status('n1').commit).toBe(3);
  });

  it('§5.4.3 leader completeness: after the leader fails, the new leader holds every committed entry', () => {
    const net = electedCluster();
    net.isolate('n3');
    net.propose('n1', 'a');
    net.propose('n1', 'b');
    net.recover();
    net.isolate('n1');
    // n3 lacks the committed entries: it cannot win; n2 can.
    net.campaign('n3');
    expect(net.status('n3').role).not.toBe('leader');
    net.tickAll(3 * ELECTION);
    expect(net.leaders()).toEqual(['n2']);
    net.propose('n2', 'c');
    expect(net.commands('n3')).toEqual(['a', 'b', 'c']);
  });
});

describe('§6 cluster membership changes (single-server)', () => {
  it('§6 a new voter gets the log by snapshot, joins the quorum, and keeps the cluster live', () => {
    const net = electedCluster();
    net.add('n4', new MemoryStorage());
    net.node('n1').raft.proposeConfChange({ type: 'add-node', nodeId: 'n4' });
    net.settle();
    net.tick('n1', 2);
    expect(net.node('n1').raft.confState().voters).toContain('n4');
    expect(net.node('n4').raft.confState().voters).toEqual(['n1', 'n2', 'n3', 'n4']);
    // With 4 voters the quorum is 3: n1 and n2 alone cannot commit.
    net.isolate('n3');
    net.isolate('n4');
    net.propose('n1', 'needs-3');
    expect(net.status('n1').commit).toBeLessThan(net.status('n1').lastIndex);
    net.recover();
    net.tick('n1');
    expect(net.commands('n4')).toEqual(['needs-3']);
  });

  it('§6 at most one membership change is pending at a time', () => {
    const net = electedCluster();
    net.isolate('n2');
    net.isolate('n3');
    net.node('n1').raft.proposeConfChange({ type: 'add-node', nodeId: 'n4' });
    expect(() => net.node('n1').raft.proposeConfChange({ type: 'add-node', nodeId: 'n5' })).toThrow(ProposalDroppedError);
  });

  it('§6 a removed leader steps down and the remaining voters elect a leader among themselves', () => {
    const net = electedCluster();
    net.node('n1').raft.proposeConfChange({ type: 'remove-node', nodeId: 'n1' });
    net.settle();
    expect(net.status('n1').role).toBe('follower');
    net.tickAll(3 * ELECTION);
    expect(net.leaders()).toHaveLength(1);
    expect(net.leaders()).not.toContain('n1');
    // The removed node never campaigns.
    expect(net.status('n1').role).toBe('follower');
    net.propose(net.leaders()[0] ?? '', 'after');
    expect(net.commands('n2')).toContain('after');
  });
});

describe('§7 log compaction', () => {
  it('§7 compaction drops the entries a snapshot covers and refuses to pass the applied index', () => {
    const net = electedCluster();
    net.propose('n1', 'a');
    const n1 = net.node('n1');
    const applied = n1.raft.status().applied;
    expect(() => n1.raft.compact(applied + 1, new Uint8Array(), { voters: voters3 })).toThrow(LogInvariantError);
    n1.raft.compact(applied, new TextEncoder().encode('snap'), { voters: voters3 });
    net.settle();
    expect(n1.storage.firstIndex()).toBe(applied + 1);
  });

  it('§7 a follower behind the leader\'s first index gets InstallSnapshot and continues from it', () => {
    const net = electedCluster();
    net.isolate('n3');
    for (const c of ['a', 'b', 'c']) net.propose('n1', c);
    const n1 = net.node('n1');
    n1.raft.compact(n1.raft.status().applied, new TextEncoder().encode('state:a,b,c'), { voters: voters3 });
    net.settle();
    net.recover();
    net.tick('n1', 2);
    expect(net.sent.some((m) => m.type === 'snapshot' && m.to === 'n3')).toBe(true);
    expect(net.node('n3').restoredFrom).toBe('state:a,b,c');
    net.propose('n1', 'd');
    expect(net.commands('n3')).toEqual(['d']);
    expect(net.status('n3').commit).toBe(net.status('n1').commit);
  });
});

describe('pre-vote and check-quorum (thesis §9.6, §6.2)', () => {
  it('pre-vote: a node cut off does not raise its term, and on return does not depose the leader', () => {
    const net = electedCluster();
    net.isolate('n3');
    net.tick('n3', 10 * ELECTION);
    expect(net.status('n3')).toMatchObject({ term: 1 });
    net.recover();
    net.tickAll(2 * ELECTION);
    expect(net.leaders()).toEqual(['n1']);
    expect(net.status('n1').term).toBe(1);
  });

  it('check-quorum: a leader that hears from no quorum for an election timeout steps down', () => {
    const net = electedCluster();
    net.isolate('n1');
    net.tick('n1', 2 * ELECTION);
    expect(net.status('n1').role).toBe('follower');
  });

  it('lease: a follower that hears from its leader ignores a vote request of a higher term', () => {
    const net = electedCluster({ preVote: false });
    const n2 = net.node('n2').raft;
    n2.step(newMessage({ type: 'vote', from: 'n3', to: 'n2', term: 9, index: 99, logTerm: 9 }));
    expect(n2.status()).toMatchObject({ term: 1, leader: 'n1', vote: 'n1' });
  });

  it('lease: a follower that lost its link to the leader (forgetLeader) answers the next vote request at once', () => {
    const net = electedCluster({ preVote: false });
    const n2 = net.node('n2').raft;
    n2.forgetLeader();
    expect(n2.status()).toMatchObject({ term: 1, leader: '', role: 'follower' });
    n2.step(newMessage({ type: 'vote', from: 'n3', to: 'n2', term: 2, index: 99, logTerm: 9 }));
    expect(n2.status()).toMatchObject({ term: 2, vote: 'n3' });
    // The leader itself has nothing to forget.
    const n1 = net.node('n1').raft;
    n1.forgetLeader();
    expect(n1.status()).toMatchObject({ leader: 'n1', role: 'leader' });
  });

  it('a follower that lost its leader campaigns within half an election timeout, and wins with the other follower', () => {
    const net = electedCluster();
    net.isolate('n1');
    net.node('n2').raft.forgetLeader();
    net.node('n3').raft.forgetLeader();
    net.tickAll(ELECTION / 2);
    net.settle();
    expect(net.leaders().filter((id) => id !== 'n1')).toHaveLength(1);
    expect(net.status('n2').term).toBe(2);
  });
});

describe('leader transfer (thesis §3.10)', () => {
  it('the leader brings the transferee up to date, then timeout-now makes it win at once', () => {
    const net = electedCluster();
    net.isolate('n2');
    net.propose('n1', 'x');
    net.recover();
    net.node('n1').raft.transferLeadership('n2');
    net.settle();
    expect(net.leaders()).toEqual(['n2']);
    expect(net.status('n2').term).toBe(2);
    expect(net.sent.some((m) => m.type === 'timeout-now' && m.to === 'n2')).toBe(true);
  });

  it('proposals are refused during a transfer, and a transfer that cannot finish is abandoned after an election timeout', () => {
    const net = electedCluster();
    net.isolate('n3');
    net.node('n1').raft.transferLeadership('n3');
    net.settle();
    expect(() => net.node('n1').raft.propose(new Uint8Array([1]))).toThrow(ProposalDroppedError);
    net.tick('n1', ELECTION);
    expect(net.status('n1').leadTransferee).toBe('');
    net.propose('n1', 'after');
    expect(net.commands('n1')).toEqual(['after']);
  });
});
