// The CLI as a library: the program (for tests that drive it in-process) and the set-up `shoal up` does.
export { buildProgram, VERSION } from './program.js';
export { run } from './run.js';
export type { Deps } from './context.js';
export { captureOutput, type Output, type CapturedOutput } from './output.js';
export * from './setup/index.js';
