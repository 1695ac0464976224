// The set-up `shoal up` does before starting the cluster, exported for tests that need the same engine and image.
export { ensureEngine, type Engine, type EngineOptions } from './engine.js';
export { ensureDemoImage, demoImageTar, imageExists, isStaticElf, DEMO_IMAGE, DEMO_CMD } from './demo-image.js';
export { engineAddress, engineRequest, engineVersion, type EngineAddress } from './engine-api.js';
export { tarArchive, type TarEntry } from './tar.js';
