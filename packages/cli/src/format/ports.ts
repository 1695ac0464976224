import type { PortConfig } from '@shoal/api';

/** One published port as docker prints it: "*:8080->80/tcp". */
export function formatPort(p: PortConfig): string {
  return `*:${p.publishedPort}->${p.targetPort}/${p.protocol || 'tcp'}`;
}

/** docker joins a service's ports with ", " in `service ls` and a task's with "," in `service ps`. */
export function formatPorts(ports: readonly PortConfig[], separator = ', '): string {
  return ports.map(formatPort).join(separator);
}
