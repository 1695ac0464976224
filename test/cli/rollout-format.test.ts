import { describe, expect, it } from 'vitest';
import { captureOutput } from '../../packages/cli/src/output.js';
import { prettyService } from '../../packages/cli/src/format/inspect.js';
import { rolloutNote, serviceColumns, serviceJsonFields, serviceRows } from '../../packages/cli/src/format/services.js';
import { printList } from '../../packages/cli/src/format/table.js';
import { parseTemplate } from '../../packages/cli/src/format/template.js';
import { currentState, taskColumns, taskRows } from '../../packages/cli/src/format/tasks.js';
import { NOW, service, task } from './fixtures.js';

describe('service ls while a rollout matters', () => {
  it.each([
    ['', ''], ['updating', ' (updating)'], ['paused', ' (update paused)'], ['completed', ''],
    ['rollback_started', ' (rolling back)'], ['rollback_paused', ' (rollback paused)'], ['rollback_completed', ''],
  ])('%j -> %j', (state, note) => expect(rolloutNote(service({ state }))).toBe(note));

  const services = [service({ name: 'web', replicas: 6, state: 'updating' }), service({ id: 'svc2', name: 'db', replicas: 1, state: 'completed' })];
  const tasks = [1, 2, 3, 4].map((slot) => task({ id: `t${slot}`, slot, node: 'n1' }));
  const rows = serviceRows(services, tasks, new Set(['n1']));

  it('adds the state to REPLICAS', () => {
    const out = captureOutput();
    printList(out, serviceColumns, rows, { format: 'table', quiet: false, json: serviceJsonFields });
    expect(out.stdout).toEqual([
      'ID             NAME   MODE         REPLICAS         IMAGE          PORTS',
      'svc2           db     replicated   0/1              shoal-demo:1',
      'svcid0000000   web    replicated   4/6 (updating)   shoal-demo:1',
    ]);
  });

  it('gives the raw state as UpdateState in json and templates', () => {
    const json = captureOutput();
    printList(json, serviceColumns, rows, { format: 'json', quiet: false, json: serviceJsonFields });
    expect(json.stdout.map((l) => JSON.parse(l) as Record<string, string>).map((o) => [o['Replicas'], o['UpdateState']]))
      .toEqual([['0/1', 'completed'], ['4/6 (updating)', 'updating']]);
    const tpl = captureOutput();
    printList(tpl, serviceColumns, rows, { format: parseTemplate('{{.Name}} {{.UpdateState}}'), quiet: false, json: serviceJsonFields });
    expect(tpl.stdout).toEqual(['db completed', 'web updating']);
  });
});

describe('service ps health', () => {
  it.each([
    [task({ state: 'RUNNING', timestamp: NOW - 5000, health: 'healthy' }), 'Running 5 seconds ago (healthy)'],
    [task({ state: 'STARTING', timestamp: NOW - 2000, health: 'starting' }), 'Starting 2 seconds ago (health: starting)'],
    [task({ state: 'RUNNING', timestamp: NOW - 2000, health: 'unhealthy' }), 'Running 2 seconds ago (unhealthy)'],
    [task({ state: 'RUNNING', timestamp: NOW - 8000 }), 'Running 8 seconds ago'],
    [task({ state: 'FAILED', desired: 'SHUTDOWN', timestamp: NOW - 3000, health: 'unhealthy', err: 'unhealthy container' }), 'Failed 3 seconds ago'],
  ])('%#: %s', (t, want) => expect(currentState(t, NOW)).toBe(want));

  it('shows the unhealthy failure and the replacement, older tasks of the slot indented', () => {
    const rows = taskRows([
      task({ id: 'aaaaaaaaaaaaaaaaaaaaaaaa1', state: 'FAILED', desired: 'SHUTDOWN', createdAt: NOW - 60_000, timestamp: NOW - 30_000, health: 'unhealthy', err: 'unhealthy container' }),
      task({ id: 'bbbbbbbbbbbbbbbbbbbbbbbb2', state: 'RUNNING', createdAt: NOW - 20_000, timestamp: NOW - 5000, health: 'healthy' }),
    ], new Map([['node1', 'node-1']]));
    const out = captureOutput();
    printList(out, taskColumns(NOW, false), rows, { format: 'table', quiet: false });
    expect(out.stdout.slice(1)).toEqual([
      'bbbbbbbbbbbb   web.1       shoal-demo:1   node-1   Running         Running 5 seconds ago (healthy)',
      'aaaaaaaaaaaa    \\_ web.1   shoal-demo:1   node-1   Shutdown        Failed 30 seconds ago             "unhealthy container"',
    ]);
  });
});

/** A line of --pretty: the key padded so values start at column 20. */
const f = (key: string, value: string, indent: string) => `${indent}${key}:`.padEnd(20) + value;

describe('service inspect --pretty', () => {
  it('shows the update status, both rollout configs and the health check', () => {
    const s = service({
      name: 'web', state: 'paused', message: 'update paused due to failure or early termination of task abc',
      update: { parallelism: 2, delayMs: 10_000, failureAction: 'rollback', order: 'start-first' }, rollback: { parallelism: 0 },
    });
    s.spec.task.container.healthcheck = { test: ['CMD-SHELL', 'wget -q localhost'], intervalMs: 2000, timeoutMs: 1000, retries: 3, startPeriodMs: 0 };
    const lines = prettyService(s);
    const at = (heading: string, n: number) => lines.slice(lines.indexOf(heading), lines.indexOf(heading) + n);
    expect(at('UpdateStatus:', 4)).toEqual([
      'UpdateStatus:',
      f('State', 'paused', ' '),
      f('Started', new Date(NOW - 10_000).toISOString(), ' '),
      f('Message', 'update paused due to failure or early termination of task abc', ' '),
    ]);
    expect(at('UpdateConfig:', 7)).toEqual([
      'UpdateConfig:',
      f('Parallelism', '2', ' '),
      f('Delay', '10s', ' '),
      f('On failure', 'rollback', ' '),
      f('Monitoring Period', '5s', ' '),
      f('Max failure ratio', '0', ' '),
      f('Update order', 'start-first', ' '),
    ]);
    expect(at('RollbackConfig:', 6)).toEqual([
      'RollbackConfig:',
      f('Parallelism', '0 (all at once)', ' '),
      f('On failure', 'pause', ' '),
      f('Monitoring Period', '5s', ' '),
      f('Max failure ratio', '0', ' '),
      f('Rollback order', 'stop-first', ' '),
    ]);
    expect(at(' Healthcheck:', 5)).toEqual([
      ' Healthcheck:', f('Test', 'wget -q localhost (shell)', '  '), f('Interval', '2s', '  '), f('Timeout', '1s', '  '), f('Retries', '3', '  '),
    ]);
  });

  it('says when the health check is disabled, and shows no update status for a service never updated', () => {
    const s = service();
    s.spec.task.container.healthcheck = { test: ['NONE'], intervalMs: 0, timeoutMs: 0, retries: 0, startPeriodMs: 0 };
    const lines = prettyService(s);
    expect(lines).toContain(f('Healthcheck', 'disabled (--no-healthcheck)', ' '));
    expect(lines).not.toContain('UpdateStatus:');
    expect(prettyService(service()).some((l) => l.includes('Healthcheck'))).toBe(false);
  });
});
