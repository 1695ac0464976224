import { describe, expect, it } from 'vitest';
import { createLogger, FakeClock, type TaskState, type TaskStatusUpdate } from '@shoal/api';
import { STATUS_FLUSH_MS, StatusWriter } from '../../../packages/manager/src/dispatcher/status-writer.js';
import { MemoryStore, type Applier, type Proposer, type StoreAction } from '../../../packages/manager/src/store/index.js';
import { makeTask } from '../scheduler/fixtures.js';

/** Commits in order, each write held until released: a Raft write taking its time. */
class HeldProposer implements Proposer {
  readonly held: Array<() => void> = [];
  private index = 0;
  private apply: Applier = () => undefined;
  setApplier(apply: Applier): void { this.apply = apply; }
  propose(actions: readonly StoreAction[]): Promise<number> {
    return new Promise((resolve) => this.held.push(() => { this.apply(actions, ++this.index); resolve(this.index); }));
  }
  /** Releases the writes waiting now, in order. */
  release(): void { for (const commit of this.held.splice(0)) commit(); }
}

const settle = () => new Promise((r) => setImmediate(r));
const update = (taskId: string, state: TaskState): TaskStatusUpdate => ({
  taskId, status: { timestamp: 1, state, message: state.toLowerCase(), err: '', container: { containerId: '', pid: 0, exitCode: 0, startedAt: 0 }, ports: [], health: '' },
});

async function setup() {
  const clock = new FakeClock();
  const proposer = new HeldProposer();
  const store = new MemoryStore(proposer, clock);
  const created = store.update((tx) => { for (const id of ['t1', 't2', 't3']) tx.create('tasks', makeTask({ id, nodeId: 'n1', state: 'ASSIGNED' })); });
  await settle();
  proposer.release();
  await created;
  const writer = new StatusWriter({ store, clock, logger: createLogger('test', 'silent') });
  const state = (id: string) => store.get('tasks', id)?.status.state;
  /** The number of writes waiting at the proposer. */
  const waiting = async () => { await settle(); return proposer.held.length; };
  return { clock, proposer, writer, state, waiting };
}

describe('status writer', () => {
  it('writes a status after a quiet window at once, and those within the window after it together when it ends', async () => {
    const { clock, proposer, writer, state, waiting } = await setup();
    writer.add('n1', [update('t1', 'PREPARING')]);
    expect(await waiting()).toBe(1);
    proposer.release();
    await settle();
    expect(state('t1')).toBe('PREPARING');
    writer.add('n1', [update('t2', 'PREPARING')]);
    writer.add('n1', [update('t3', 'READY')]);
    expect(await waiting()).toBe(0);
    clock.advance(STATUS_FLUSH_MS);
    expect(await waiting()).toBe(1);
    proposer.release();
    await settle();
    expect([state('t2'), state('t3')]).toEqual(['PREPARING', 'READY']);
    writer.stop();
  });

  it('writes a task running or ended at once inside a window, with what is pending', async () => {
    const { clock, proposer, writer, state, waiting } = await setup();
    writer.add('n1', [update('t1', 'PREPARING')]);
    await waiting();
    proposer.release();
    writer.add('n1', [update('t2', 'READY')]);
    clock.advance(10);
    writer.add('n1', [update('t3', 'RUNNING')]);
    expect(await waiting()).toBe(1);
    proposer.release();
    await settle();
    expect([state('t1'), state('t2'), state('t3')]).toEqual(['PREPARING', 'READY', 'RUNNING']);
    writer.stop();
  });

  it('while a write is in flight, holds every running or ended status for one write right after it (group commit)', async () => {
    const { proposer, writer, state, waiting } = await setup();
    writer.add('n1', [update('t1', 'RUNNING')]);
    expect(await waiting()).toBe(1);
    writer.add('n1', [update('t2', 'RUNNING')]);
    writer.add('n1', [update('t3', 'FAILED')]);
    expect(await waiting()).toBe(1); // nothing more until the first write ends
    proposer.release();
    expect(await waiting()).toBe(1); // the two that came meanwhile, in one write
    expect([state('t1'), state('t2'), state('t3')]).toEqual(['RUNNING', 'ASSIGNED', 'ASSIGNED']);
    proposer.release();
    await settle();
    expect([state('t2'), state('t3')]).toEqual(['RUNNING', 'FAILED']);
    expect(await waiting()).toBe(0);
    writer.stop();
  });

  it('writes a status only forward, and only from the node the task is on', async () => {
    const { proposer, writer, state, waiting } = await setup();
    writer.add('n1', [update('t1', 'RUNNING')]);
    await waiting();
    proposer.release();
    await settle();
    writer.add('n1', [update('t1', 'STARTING')]);
    writer.add('n2', [update('t2', 'RUNNING')]);
    await waiting();
    proposer.release();
    await settle();
    expect([state('t1'), state('t2')]).toEqual(['RUNNING', 'ASSIGNED']);
    writer.stop();
  });

  it('after stop, writes nothing and leaves no timer', async () => {
    const { clock, writer, waiting } = await setup();
    writer.add('n1', [update('t1', 'PREPARING')]);
    writer.add('n1', [update('t2', 'PREPARING')]);
    writer.stop();
    expect(clock.pending()).toBe(0);
    writer.add('n1', [update('t3', 'RUNNING')]);
    expect(await waiting()).toBe(1); // only the first, sent before stop
  });
});
