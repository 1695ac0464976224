import type { Task, TaskState } from '@shoal/api';
import { parseChoice } from '../parse/choice.js';
import { matchesFilters, parseFilters, type FilterTests, type Filters } from '../parse/filter.js';
import { taskName } from '../format/tasks.js';

/** What each desired-state filter value stands for. */
const DESIRED: Readonly<Record<string, readonly TaskState[]>> = {
  running: ['RUNNING', 'READY'],
  shutdown: ['SHUTDOWN', 'REMOVE'],
  accepted: ['ACCEPTED'],
};

/** Tests of a task; `hostnames` maps node ids to hostnames so node=HOSTNAME works. */
function tests(hostnames: ReadonlyMap<string, string>): FilterTests<Task> {
  return {
    id: (t, v) => t.id.startsWith(v),
    name: (t, v) => taskName(t).startsWith(v),
    node: (t, v) => t.nodeId.startsWith(v) || hostnames.get(t.nodeId) === v,
    'desired-state': (t, v) => DESIRED[v]?.includes(t.desiredState) ?? false,
  };
}

export const TASK_FILTER_KEYS = ['id', 'name', 'node', 'desired-state'];

export function parseTaskFilters(texts: readonly string[]): Filters {
  const filters = parseFilters(texts, TASK_FILTER_KEYS);
  for (const v of filters.get('desired-state') ?? []) parseChoice(v, Object.keys(DESIRED), 'desired-state filter');
  return filters;
}

export function filterTasks(tasks: readonly Task[], filters: Filters, hostnames: ReadonlyMap<string, string>): Task[] {
  const t = tests(hostnames);
  return tasks.filter((task) => matchesFilters(task, filters, t));
}
