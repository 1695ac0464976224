export { controlHandlers, type ControlComponents } from './control.js';
