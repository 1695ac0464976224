export { startManager, VERSION } from './manager.js';
export type { ManagerOptions, ManagerInfo, Manager } from './options.js';
export * from './decisions.js';
