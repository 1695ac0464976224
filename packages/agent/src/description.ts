import os from 'node:os';
import type { NodeDescription } from '@shoal/api';
import type { DockerInfo } from './docker/engine.js';

// Node's names for architectures, as Docker (uname -m) names them.
const ARCHITECTURES: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64', arm: 'armv7l', ia32: 'i386', ppc64: 'ppc64le', s390x: 's390x' };

/** "k=v" engine labels (from `docker info`) as a map; a label without "=" has an empty value. */
export function parseEngineLabels(labels: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const label of labels) {
    const eq = label.indexOf('=');
    if (eq < 0) out[label] = '';
    else out[label.slice(0, eq)] = label.slice(eq + 1);
  }
  return out;
}

/** What the node tells the manager about itself; from `docker info`, or from the host while the engine is down. */
export function describeNode(info: DockerInfo | undefined, hostname: string, labels: Record<string, string>): NodeDescription {
  return {
    hostname,
    platform: {
      os: info?.OSType || 'linux',
      architecture: info?.Architecture || ARCHITECTURES[process.arch] || process.arch,
    },
    resources: {
      nanoCpus: (info?.NCPU || os.cpus().length) * 1e9,
      memoryBytes: info?.MemTotal || os.totalmem(),
    },
    engineLabels: { ...parseEngineLabels(info?.Labels ?? []), ...labels },
    engineVersion: info?.ServerVersion ?? '',
  };
}
