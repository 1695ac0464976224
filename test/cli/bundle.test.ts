import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// What `npm run build` bundles (scripts/bundle-cli.mjs) and bin/shoal.js runs: which code each entry loads at once.
const BUNDLE = join(import.meta.dirname, '../../packages/cli/dist/bundle');

/** The files an entry loads before it runs: itself and every chunk it imports statically, transitively. */
function loadedAtOnce(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    const text = readFileSync(join(BUNDLE, file), 'utf8');
    seen.set(file, text);
    // Static imports only (`} from "./x.js"` or `import "./x.js"`); `import("./x.js")` is loaded when called.
    for (const m of text.matchAll(/(?:\bfrom|^import)\s*"\.\/([^"]+)"/gm)) visit(m[1]!);
  };
  visit(entry);
  return seen;
}

/** Which packages' code those files hold, from the module path comments esbuild writes above each module. */
function packagesIn(files: Map<string, string>): Set<string> {
  const out = new Set<string>();
  for (const text of files.values()) {
    for (const m of text.matchAll(/^\/\/ (?:node_modules\/((?:@[^/]+\/)?[^/]+)|packages\/([^/]+))\//gm)) out.add(m[1] ?? `@shoal/${m[2]!}`);
  }
  return out;
}

describe('the CLI bundle', () => {
  it('is built (npm run build)', () => {
    expect(existsSync(join(BUNDLE, 'main.js')), `${BUNDLE}/main.js is missing: run npm run build first`).toBe(true);
  });

  it('a command loads the client code only: the manager and the agent come with the daemon commands', () => {
    const loaded = packagesIn(loadedAtOnce('main.js'));
    expect(loaded).toContain('@shoal/cli');
    expect(loaded).toContain('@grpc/grpc-js');
    expect(loaded).not.toContain('@shoal/manager');
    expect(loaded).not.toContain('@shoal/agent');
  });

  it('the routing mesh thread loads the mesh without gRPC', () => {
    const loaded = packagesIn(loadedAtOnce('mesh-worker.js'));
    expect(loaded).toContain('@shoal/agent');
    expect(loaded).not.toContain('@grpc/grpc-js');
    expect(loaded).not.toContain('protobufjs');
  });
});
