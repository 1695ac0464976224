export type { ManagerOptions, ManagerInfo, Manager } from './options.js';
