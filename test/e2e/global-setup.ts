// Before the Docker test layer: a reachable engine (installed and started as root when missing) and the
// locally built test image; no registry is needed.
import { tmpdir } from 'node:os';
import { ensureDemoImage, ensureEngine } from '../../packages/cli/src/setup/index.js';
import { TEST_IMAGE } from './images.js';

export default async function setup(): Promise<void> {
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const engine = await ensureEngine({ dataDir: tmpdir(), say });
  await ensureDemoImage(engine.address, say, TEST_IMAGE);
}
