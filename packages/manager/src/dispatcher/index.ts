export { Dispatcher, type DispatcherComponents } from './dispatcher.js';
export { newJoinToken, hashSecret } from './tokens.js';
