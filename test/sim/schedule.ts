import type { NodeId } from '../../packages/manager/src/raft/core/index.js';
import { ELECTION_TICKS, SimCluster } from './cluster.js';
import { Prng } from './prng.js';

export interface ScheduleOptions {
  /** Steps of the chaotic phase. */
  readonly steps: number;
  /** Ticks allowed, after healing, for a leader to be elected and a proposal to commit. */
  readonly livenessTicks: number;
}

const ALL_NODES: readonly NodeId[] = ['n1', 'n2', 'n3', 'n4', 'n5'];

/**
 * One seeded run: a 3- or 5-voter cluster under message loss, duplication, reordering, partitions (symmetric and
 * one-way), crashes and restarts, membership changes, compactions and leader transfers, with the safety checks after
 * every step; then the network heals, every node restarts, and a proposal must commit within the bound.
 */
export function runSchedule(seed: number, options: ScheduleOptions): void {
  const rng = new Prng(seed);
  const voters = ALL_NODES.slice(0, rng.chance(0.5) ? 3 : 5);
  const cluster = new SimCluster(rng, voters);
  cluster.faults = { loss: rng.next() * 0.2, duplication: rng.next() * 0.1, reorderWindow: 1 + rng.int(4) };

  for (let step = 0; step < options.steps; step++) {
    chaosStep(cluster, rng);
    cluster.settle();
  }

  heal(cluster);
  let proposal: string | undefined;
  for (let tick = 0; tick < options.livenessTicks; tick++) {
    cluster.tickAll();
    cluster.settle();
    while (cluster.deliverOne()) cluster.settle();
    const leader = cluster.leader();
    if (leader && proposal === undefined) proposal = cluster.propose(leader.id);
    if (proposal !== undefined && cluster.applied(proposal)) return;
    // A proposal lost with a deposed leader is retried with the next one.
    if (proposal !== undefined && tick % (4 * ELECTION_TICKS) === 4 * ELECTION_TICKS - 1) proposal = undefined;
  }
  throw new Error(`liveness: no proposal committed within ${options.livenessTicks} ticks after healing`);
}

function chaosStep(cluster: SimCluster, rng: Prng): void {
  const ids = [...cluster.nodes.keys()];
  const roll = rng.next();
  if (roll < 0.3) {
    // Clocks drift: usually everyone ticks, sometimes one node alone.
    if (rng.chance(0.8)) cluster.tickAll();
    else cluster.tick(rng.pick(ids));
  } else if (roll < 0.75) {
    for (let n = 1 + rng.int(6); n > 0 && cluster.deliverOne(); n--) cluster.settle();
  } else if (roll < 0.85) {
    const leader = cluster.leader();
    cluster.propose(leader && rng.chance(0.9) ? leader.id : rng.pick(ids));
  } else if (roll < 0.88) {
    partition(cluster, rng, ids);
  } else if (roll < 0.905) {
    cluster.cut.clear();
  } else if (roll < 0.92) {
    const live = cluster.live();
    // Often one whose write is under way: what it sent before the write must not have counted it as written.
    const writing = live.filter((n) => n.writing);
    if (live.length > 1) cluster.crash(rng.pick(writing.length > 0 && rng.chance(0.5) ? writing : live).id);
  } else if (roll < 0.945) {
    const down = ids.filter((id) => !cluster.node(id).raft);
    if (down.length > 0) cluster.start(rng.pick(down));
  } else if (roll < 0.96) {
    changeMembership(cluster, rng);
  } else if (roll < 0.99) {
    cluster.compact(rng.pick(ids));
  } else if (rng.chance(0.5)) {
    // A node's link to its leader broke (as the transport reports it): it forgets the leader and campaigns soon.
    cluster.tryInput((raft) => raft.forgetLeader(), rng.pick(ids));
  } else {
    const leader = cluster.leader();
    if (leader) cluster.tryInput((raft) => raft.transferLeadership(rng.pick(raft.confState().voters)), leader.id);
  }
}

function partition(cluster: SimCluster, rng: Prng, ids: readonly NodeId[]): void {
  cluster.cut.clear();
  const kind = rng.int(3);
  if (kind === 0) {
    // Symmetric split into two sides.
    const side = new Set(ids.filter(() => rng.chance(0.5)));
    for (const a of ids) for (const b of ids) if (side.has(a) !== side.has(b)) cluster.cut.add(`${a}>${b}`);
  } else if (kind === 1) {
    // One node isolated both ways (often the leader: the interesting case for check-quorum and pre-vote).
    const leader = cluster.leader();
    const lone = leader && rng.chance(0.5) ? leader.id : rng.pick(ids);
    for (const other of ids) if (other !== lone) cluster.cut.add(`${lone}>${other}`).add(`${other}>${lone}`);
  } else {
    // Asymmetric: some links cut in one direction only.
    for (const a of ids) for (const b of ids) if (a !== b && rng.chance(0.25)) cluster.cut.add(`${a}>${b}`);
  }
}

/** Adds a node while fewer than 5 vote, removes one while more than 3 vote (as the leader sees it). */
function changeMembership(cluster: SimCluster, rng: Prng): void {
  const leader = cluster.leader();
  const raft = leader?.raft;
  if (!leader || !raft) return;
  const voters = raft.confState().voters;
  const outside = ALL_NODES.filter((id) => !voters.includes(id));
  const add = outside.length > 0 && (voters.length <= 3 || rng.chance(0.5));
  if (add) {
    const id = rng.pick(outside);
    cluster.addSpare(id);
    cluster.tryInput((r) => r.proposeConfChange({ type: 'add-node', nodeId: id }), leader.id);
  } else if (voters.length > 3) {
    cluster.tryInput((r) => r.proposeConfChange({ type: 'remove-node', nodeId: rng.pick(voters) }), leader.id);
  }
}

function heal(cluster: SimCluster): void {
  cluster.cut.clear();
  cluster.faults = { loss: 0, duplication: 0, reorderWindow: 1 };
  for (const id of cluster.nodes.keys()) cluster.start(id);
  cluster.settle();
}
