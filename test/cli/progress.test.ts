import { describe, expect, it } from 'vitest';
import { captureOutput } from '../../packages/cli/src/output.js';
import { ProgressDisplay } from '../../packages/cli/src/progress/display.js';
import { lineText, progressBar, renderProgress, type ProgressInput } from '../../packages/cli/src/progress/render.js';
import { VERIFY_MS, watchConvergence, type Snapshot } from '../../packages/cli/src/progress/watch.js';
import { node, service, task } from './fixtures.js';

const FULL = `[${'='.repeat(50)}>]`;
const active = new Set(['n1', 'n2']);
const lines = (input: ProgressInput) => renderProgress(input).lines.map(lineText);

describe('progressBar', () => {
  it.each([
    ['RUNNING', FULL],
    ['NEW', `[${'='.repeat(5)}>${' '.repeat(45)}]`],
    ['PREPARING', `[${'='.repeat(33)}>${' '.repeat(17)}]`],
    ['STARTING', `[${'='.repeat(44)}>${' '.repeat(6)}]`],
  ] as const)('%s', (state, bar) => expect(progressBar(state)).toBe(bar));
});

describe('renderProgress (replicated)', () => {
  it('starts with empty slot lines', () => {
    expect(lines({ mode: 'replicated', replicas: 3, tasks: [], activeNodes: active })).toEqual([
      'overall progress: 0 out of 3 tasks', '1/3:', '2/3:', '3/3:',
    ]);
  });

  it('shows each slot state with a bar, a pending reason, or the error of a failed attempt', () => {
    const view = renderProgress({
      mode: 'replicated', replicas: 4, activeNodes: active, tasks: [
        task({ slot: 1, node: 'n1', state: 'RUNNING' }),
        task({ slot: 2, node: 'n2', state: 'PREPARING' }),
        task({ slot: 3, node: '', state: 'PENDING', message: 'no suitable node (insufficient memory on 2 nodes)' }),
        task({ slot: 4, node: 'n1', state: 'FAILED', desired: 'SHUTDOWN', err: 'task: non-zero exit (1)', timestamp: 5 }),
        task({ slot: 4, node: 'n1', state: 'ASSIGNED', timestamp: 6 }),
      ],
    });
    expect(view.lines.map(lineText)).toEqual([
      'overall progress: 1 out of 4 tasks',
      `1/4: running   ${FULL}`,
      `2/4: preparing ${progressBar('PREPARING')}`,
      '3/4: no suitable node (insufficient memory on 2 nodes)',
      '4/4: task: non-zero exit (1)',
    ]);
    expect(view).toMatchObject({ running: 1, desired: 4, converged: false });
  });

  it('converges when every slot runs, ignoring old attempts, removed tasks and down nodes', () => {
    const view = renderProgress({
      mode: 'replicated', replicas: 2, activeNodes: active, tasks: [
        task({ slot: 1, node: 'n1' }),
        task({ slot: 1, node: 'n1', state: 'FAILED', desired: 'SHUTDOWN', err: 'old crash' }),
        task({ slot: 2, node: 'n2' }),
        task({ slot: 3, node: 'n2', desired: 'REMOVE', state: 'RUNNING' }),
        task({ slot: 4, node: 'gone', state: 'RUNNING' }),
      ],
    });
    expect(view.lines.map(lineText)).toEqual(['overall progress: 2 out of 2 tasks', `1/2: running   ${FULL}`, `2/2: running   ${FULL}`]);
    expect(view.converged).toBe(true);
  });

  it('keeps shut-down slots after the slots still meant to run (scale down)', () => {
    const view = renderProgress({
      mode: 'replicated', replicas: 2, activeNodes: active, tasks: [
        task({ slot: 1, node: 'n1' }),
        task({ slot: 2, node: 'n1', desired: 'SHUTDOWN', state: 'RUNNING' }),
        task({ slot: 3, node: 'n2' }),
      ],
    });
    expect(view.lines.map(lineText)).toEqual(['overall progress: 2 out of 2 tasks', `1/2: running   ${FULL}`, `2/2: running   ${FULL}`]);
    expect(view.converged).toBe(true);
  });

  it('shortens long errors to one line of 75 characters', () => {
    const err = `line one\n${'x'.repeat(100)}`;
    const [, slot] = lines({ mode: 'replicated', replicas: 1, activeNodes: active, tasks: [task({ node: 'n1', state: 'REJECTED', err })] });
    expect(slot).toBe(`1/1: ${`line one ${'x'.repeat(100)}`.slice(0, 74)}…`);
  });

  it('shows only the overall line above 20 replicas', () => {
    expect(lines({ mode: 'replicated', replicas: 21, tasks: [], activeNodes: active })).toEqual(['overall progress: 0 out of 21 tasks']);
    expect(lines({ mode: 'replicated', replicas: 20, tasks: [], activeNodes: active })).toHaveLength(21);
  });

  it('is done at once for zero replicas', () => {
    expect(renderProgress({ mode: 'replicated', replicas: 0, tasks: [], activeNodes: active }).converged).toBe(true);
  });
});

describe('renderProgress (global)', () => {
  it('waits for the first tasks', () => {
    const view = renderProgress({ mode: 'global', replicas: 0, tasks: [], activeNodes: active });
    expect(view.lines.map(lineText)).toEqual(['overall progress: waiting for new tasks']);
    expect(view.converged).toBe(false);
  });

  it('draws one line per node', () => {
    const view = renderProgress({
      mode: 'global', replicas: 0, activeNodes: new Set(['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb']), tasks: [
        task({ slot: 0, node: 'bbbbbbbbbbbbbbbb', state: 'STARTING' }),
        task({ slot: 0, node: 'aaaaaaaaaaaaaaaa' }),
      ],
    });
    expect(view.lines.map(lineText)).toEqual([
      'overall progress: 1 out of 2 tasks',
      `aaaaaaaaaaaa: running   ${FULL}`,
      `bbbbbbbbbbbb: starting  ${progressBar('STARTING')}`,
    ]);
  });
});

describe('ProgressDisplay', () => {
  it('prints only changed lines when not on a terminal', () => {
    const out = captureOutput(false);
    const d = new ProgressDisplay(out);
    d.show([{ id: 'overall progress', text: '0 out of 1 tasks' }, { id: '1/1', text: '' }]);
    d.show([{ id: 'overall progress', text: '0 out of 1 tasks' }, { id: '1/1', text: 'new' }]);
    d.show([{ id: 'overall progress', text: '1 out of 1 tasks' }, { id: '1/1', text: 'new' }]);
    expect(out.stdout).toEqual(['overall progress: 0 out of 1 tasks', '1/1:', '1/1: new', 'overall progress: 1 out of 1 tasks']);
  });

  it('moves up over the rows a line wider than the terminal wraps onto', () => {
    const out = { ...captureOutput(true), columns: 10 };
    const d = new ProgressDisplay(out);
    d.show([{ id: 'rollback', text: 'x'.repeat(15) }, { id: 'b', text: '2' }]); // "rollback: xxx…" is 25 wide: 3 rows
    d.show([{ id: 'b', text: '3' }]);
    expect(out.stdout[1]).toBe('\x1b[4A\x1b[2Kb: 3\n\x1b[J');
  });

  it('redraws in place on a terminal', () => {
    const out = captureOutput(true);
    const d = new ProgressDisplay(out);
    d.show([{ id: 'a', text: '1' }, { id: 'b', text: '2' }]);
    d.show([{ id: 'a', text: '3' }]);
    expect(out.stdout).toEqual(['\x1b[2Ka: 1\n\x1b[2Kb: 2\n\x1b[J', '\x1b[2A\x1b[2Ka: 3\n\x1b[J']);
  });
});

describe('watchConvergence', () => {
  /** Drives the loop on a fake clock: each poll advances time by the sleep. */
  function harness(snapshots: (now: number) => Snapshot, interruptAt = Infinity) {
    let now = 0;
    const out = captureOutput(false);
    const run = watchConvergence({
      out,
      now: () => now,
      sleep: async (ms) => { now += ms; },
      interrupted: () => now >= interruptAt,
      fetch: async () => snapshots(now),
    });
    return { out, run };
  }
  const nodes = [node({ id: 'n1' })];

  it('waits the verify period once converged, then says so', async () => {
    const { out, run } = harness((now) => ({
      service: service({ replicas: 1 }), nodes,
      tasks: [task({ node: 'n1', state: now < 500 ? 'PREPARING' : 'RUNNING' })],
    }));
    expect(await run).toBe(true);
    expect(out.stdout[0]).toBe('overall progress: 0 out of 1 tasks');
    expect(out.stdout).toContain('overall progress: 1 out of 1 tasks');
    expect(out.stdout).toContain(`verify: Waiting ${VERIFY_MS / 1000} seconds to verify that tasks are stable...`);
    expect(out.stdout.at(-1)).toBe('verify: Service converged');
  });

  it('starts verifying again after a task failure', async () => {
    const { out, run } = harness((now) => ({
      service: service({ replicas: 1 }), nodes,
      tasks: [task({ node: 'n1', state: now >= 1000 && now < 1500 ? 'FAILED' : 'RUNNING', err: now >= 1000 && now < 1500 ? 'boom' : '' })],
    }));
    expect(await run).toBe(true);
    expect(out.stdout).toContain('verify: Detected task failure');
    expect(out.stdout).toContain('1/1: boom');
  });

  it('stops watching when interrupted', async () => {
    const { run } = harness(() => ({ service: service({ replicas: 1 }), nodes, tasks: [] }), 1000);
    expect(await run).toBe(false);
  });
});
