import { formatBytes, formatDuration, type Endpoint, type HealthConfig, type MeshListener, type Node, type Service, type UpdateConfig } from '@shoal/api';
import { CliError } from '../errors.js';
import { parseInspectTemplate, renderInspect } from './inspect-template.js';
import { formatPort } from './ports.js';

/** `inspect` without --pretty: a JSON array indented by 4 spaces, as docker prints it. */
export function inspectJson(objects: readonly unknown[]): string {
  return JSON.stringify(objects, null, 4);
}

export interface InspectFlags { pretty?: boolean; format?: string }

/**
 * How `inspect` prints, from its flags — checked before the manager is asked anything: the JSON array (also
 * `--format json`), `--pretty`'s lines (a blank line between objects), or a `--format` template's line per object.
 */
export function inspectPrinter<T>(flags: InspectFlags, pretty: (o: T) => string[]): (objects: readonly T[]) => string[] {
  if (flags.format !== undefined && flags.pretty) throw new CliError('--format and --pretty cannot be used together: use one of them');
  if (flags.format !== undefined && flags.format !== 'json') {
    const t = parseInspectTemplate(flags.format);
    return (objects) => renderInspect(t, objects);
  }
  if (flags.pretty) return (objects) => objects.flatMap((o, i) => [...(i ? [''] : []), ...pretty(o)]);
  return (objects) => [inspectJson(objects)];
}

/** "Key:" padded so the values line up. */
function field(key: string, value: string | number, indent = ''): string {
  return `${`${indent}${key}:`.padEnd(20)}${value}`;
}

function labelLines(labels: Readonly<Record<string, string>>, indent = ' '): string[] {
  return Object.entries(labels).map(([k, v]) => `${indent}${k}${v ? `=${v}` : ''}`);
}

function iso(ms: number): string {
  return ms ? new Date(ms).toISOString() : '';
}

/** An update or rollback config under its heading ("UpdateConfig:"), as docker words it. */
function rolloutLines(heading: string, c: UpdateConfig | undefined, orderLabel: string): string[] {
  if (!c || (!c.failureAction && !c.order)) return [];
  return [
    `${heading}:`,
    field('Parallelism', c.parallelism === 0 ? '0 (all at once)' : c.parallelism, ' '),
    ...(c.delayMs ? [field('Delay', formatDuration(c.delayMs), ' ')] : []),
    field('On failure', c.failureAction, ' '),
    field('Monitoring Period', formatDuration(c.monitorMs), ' '),
    field('Max failure ratio', c.maxFailureRatio, ' '),
    field(orderLabel, c.order, ' '),
  ];
}

/** The container's health check: disabled, the image's (with overrides), or a command. */
function healthLines(h: HealthConfig | undefined): string[] {
  if (!h) return [];
  if (h.test[0] === 'NONE') return [field('Healthcheck', 'disabled (--no-healthcheck)', ' ')];
  const timings = [
    ...(h.intervalMs ? [field('Interval', formatDuration(h.intervalMs), '  ')] : []),
    ...(h.timeoutMs ? [field('Timeout', formatDuration(h.timeoutMs), '  ')] : []),
    ...(h.retries ? [field('Retries', h.retries, '  ')] : []),
    ...(h.startPeriodMs ? [field('Start Period', formatDuration(h.startPeriodMs), '  ')] : []),
  ];
  if (!h.test.length && !timings.length) return [];
  const test = h.test.length ? h.test.slice(h.test[0] === 'CMD-SHELL' || h.test[0] === 'CMD' ? 1 : 0).join(' ') : "the image's HEALTHCHECK";
  return [' Healthcheck:', field('Test', h.test[0] === 'CMD-SHELL' ? `${test} (shell)` : test, '  '), ...timings];
}

/** The human-readable form of `service inspect --pretty`, modelled on docker's. */
export function prettyService(s: Service): string[] {
  const spec = s.spec;
  const c = spec.task.container;
  const res = spec.task.resources;
  const restart = spec.task.restart;
  const lines = [field('ID', s.id), field('Name', spec.annotations.name)];
  if (Object.keys(spec.annotations.labels).length) lines.push('Labels:', ...labelLines(spec.annotations.labels));
  lines.push(field('Service Mode', spec.mode === 'global' ? 'Global' : 'Replicated'));
  if (spec.mode !== 'global') lines.push(field('Replicas', spec.replicas, ' '));
  const st = s.updateStatus;
  if (st?.state) {
    lines.push('UpdateStatus:', field('State', st.state, ' '));
    if (st.startedAt) lines.push(field('Started', iso(st.startedAt), ' '));
    if (st.completedAt) lines.push(field('Completed', iso(st.completedAt), ' '));
    if (st.message) lines.push(field('Message', st.message, ' '));
  }
  if (spec.task.placement.constraints.length) {
    lines.push('Placement:', field('Constraints', `[${spec.task.placement.constraints.join(' ')}]`, ' '));
  }
  lines.push(
    'RestartPolicy:',
    field('Condition', restart.condition, ' '),
    field('Delay', formatDuration(restart.delayMs), ' '),
    field('Max Attempts', restart.maxAttempts, ' '),
  );
  if (restart.windowMs) lines.push(field('Window', formatDuration(restart.windowMs), ' '));
  lines.push(...rolloutLines('UpdateConfig', spec.update, 'Update order'), ...rolloutLines('RollbackConfig', spec.rollback, 'Rollback order'));
  lines.push('ContainerSpec:', field('Image', c.image, ' '));
  if (c.command.length) lines.push(field('Command', c.command.join(' '), ' '));
  if (c.args.length) lines.push(field('Args', c.args.join(' '), ' '));
  if (c.env.length) lines.push(' Env:', ...c.env.map((e) => `  ${e}`));
  if (c.dir) lines.push(field('Dir', c.dir, ' '));
  if (c.user) lines.push(field('User', c.user, ' '));
  if (c.hostname) lines.push(field('Hostname', c.hostname, ' '));
  if (Object.keys(c.labels).length) lines.push(' Labels:', ...labelLines(c.labels, '  '));
  lines.push(field('Stop Grace Period', formatDuration(c.stopGracePeriodMs), ' '));
  lines.push(...healthLines(c.healthcheck));
  if (c.mounts.length) {
    lines.push('Mounts:');
    for (const m of c.mounts) {
      lines.push(field('Target', m.target, ' '), field('Source', m.source, '  '), field('ReadOnly', String(m.readOnly), '  '), field('Type', m.type, '  '));
    }
  }
  const resourceLines = (label: string, r: { nanoCpus: number; memoryBytes: number }) => {
    if (!r.nanoCpus && !r.memoryBytes) return [];
    return [
      ` ${label}:`,
      ...(r.nanoCpus ? [field('CPU', r.nanoCpus / 1e9, '  ')] : []),
      ...(r.memoryBytes ? [field('Memory', formatBytes(r.memoryBytes), '  ')] : []),
    ];
  };
  const resources = [...resourceLines('Reservations', res.reservations), ...resourceLines('Limits', res.limits)];
  if (resources.length) lines.push('Resources:', ...resources);
  if (spec.endpoint.ports.length) lines.push('Ports:', ...spec.endpoint.ports.map((p) => ` ${formatPort(p)} (${p.publishMode})`));
  lines.push(...endpointLines(s.endpoints ?? []));
  lines.push(field('Created', iso(s.meta.createdAt)), field('Updated', iso(s.meta.updatedAt)));
  return lines;
}

/** The routing mesh's view of a service: each ingress port and the healthy running tasks it forwards to. */
function endpointLines(endpoints: readonly Endpoint[]): string[] {
  if (!endpoints.length) return [];
  const lines = ['Endpoints:'];
  for (const e of endpoints) {
    const n = e.backends.length;
    const port = `*:${e.publishedPort}->${e.targetPort}/${e.protocol || 'tcp'}`;
    lines.push(row(port, n ? `${n} healthy task${n === 1 ? '' : 's'}` : 'no healthy task (connections are closed at once)', ' '));
    for (const b of e.backends) lines.push(row(b.addr, `task ${b.taskId}`, '  '));
  }
  return lines;
}

/** One listener of a node's routing mesh: its counters, or why it does not listen. */
function meshLine(l: MeshListener): string {
  const name = `${l.addr}/${l.protocol || 'tcp'}`;
  const service = l.serviceName ? ` (${l.serviceName})` : '';
  if (l.error) return row(name, `not listening: ${l.error}${service}`, ' ');
  const what = l.protocol === 'udp' ? 'flows' : 'connections';
  return row(name, `${l.active} active, ${l.total} total ${what}, ${l.failures} failed, in ${formatBytes(l.bytesIn)}, out ${formatBytes(l.bytesOut)}${service}`, ' ');
}

/** field(), with at least one space after a long key (an address). */
function row(key: string, value: string, indent: string): string {
  return `${`${indent}${key}:`.padEnd(19)} ${value}`;
}

/** The human-readable form of `node inspect --pretty`, modelled on docker's. */
export function prettyNode(n: Node): string[] {
  const d = n.description;
  const lines = [field('ID', n.id), field('Hostname', d.hostname)];
  if (Object.keys(n.spec.labels).length) lines.push('Labels:', ...labelLines(n.spec.labels));
  lines.push(
    field('Joined at', iso(n.meta.createdAt)),
    'Status:',
    field('State', n.status.state, ' '),
    field('Availability', n.spec.availability, ' '),
    field('Address', n.status.addr, ' '),
  );
  if (n.status.message) lines.push(field('Message', n.status.message, ' '));
  if (n.managerStatus.addr) {
    lines.push('Manager Status:', field('Address', n.managerStatus.addr, ' '),
      field('Raft Status', n.managerStatus.reachability, ' '), field('Leader', n.managerStatus.leader ? 'Yes' : 'No', ' '));
  }
  lines.push(
    'Platform:',
    field('Operating System', d.platform.os, ' '),
    field('Architecture', d.platform.architecture, ' '),
    'Resources:',
    field('CPUs', d.resources.nanoCpus / 1e9, ' '),
    field('Memory', formatBytes(d.resources.memoryBytes), ' '),
    field('Engine Version', d.engineVersion),
  );
  if (Object.keys(d.engineLabels).length) lines.push('Engine Labels:', ...labelLines(d.engineLabels, ' - '));
  if (n.mesh?.length) lines.push('Routing Mesh:', ...n.mesh.map(meshLine));
  return lines;
}
