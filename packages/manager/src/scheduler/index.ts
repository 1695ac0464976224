export { scheduleTasks, needsScheduling } from './scheduler.js';
export type { Assignment, PendingTask, ScheduleResult } from './scheduler.js';
export { NodeSet, holdsResources } from './node-set.js';
export { NodeInfo, taskDemand } from './node-info.js';
export type { TaskDemand } from './node-info.js';
export { Pipeline, defaultFilters } from './pipeline.js';
export type { Filter } from './filters/filter.js';
export { nodeSatisfies } from './placement.js';
