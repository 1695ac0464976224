// The manager's pure decisions, for the loops and the benchmarks: re-exported by index.ts.
export * as scheduler from './scheduler/index.js';
export * as orchestrator from './orchestrator/index.js';
