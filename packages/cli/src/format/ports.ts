import type { PortConfig } from '@shoal/api';

/** One published port as docker prints it: "*:8080->80/tcp". */
export function formatPort(p: PortConfig): string {
  return `*:${p.publishedPort}->${p.targetPort}/${p.protocol || 'tcp'}`;
}

/** docker joins a service's ports with ", " in `service ls` and a task's with "," in `service ps`. */
export function formatPorts(ports: readonly PortConfig[], separator = ', '): string {
  return ports.map(formatPort).join(separator);
}

/**
 * One port of a task as `service ps` shows it: a host-mode port as docker does ("*:8080->80/tcp"); an ingress port
 * where the routing mesh reaches the task: its node's address and the port the engine chose
 * ("127.0.0.2:32768->80/tcp"). An ingress port not bound (the container is not running) is not shown.
 */
export function formatTaskPort(p: PortConfig, nodeAddr: string): string {
  if (p.publishMode !== 'ingress') return formatPort(p);
  return `${nodeAddr || '*'}:${p.publishedPort}->${p.targetPort}/${p.protocol || 'tcp'}`;
}

export function formatTaskPorts(ports: readonly PortConfig[], nodeAddr: string): string {
  return ports.filter((p) => p.publishMode !== 'ingress' || p.publishedPort).map((p) => formatTaskPort(p, nodeAddr)).join(',');
}
