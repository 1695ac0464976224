export { controlHandlers } from './control.js';
export type { ControlComponents } from './components.js';
