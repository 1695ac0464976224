export { Dispatcher, type DispatcherComponents } from './dispatcher.js';
export { refuseNotLeader } from './not-leader.js';
export { newJoinToken, hashSecret, sameSecret } from './tokens.js';
