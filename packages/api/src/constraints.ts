import { InvalidArgumentError } from './errors.js';

export interface Constraint {
  readonly key: string; // node.id, node.hostname, node.role, node.platform.os, node.platform.arch, node.labels.X, engine.labels.X
  readonly op: '==' | '!=';
  readonly value: string;
}

const FIXED_KEYS = ['node.id', 'node.hostname', 'node.role', 'node.platform.os', 'node.platform.arch'];

/** Parses a placement constraint such as "node.labels.zone==east". */
export function parseConstraint(text: string): Constraint {
  const m = /^\s*([\w.-]+)\s*(==|!=)\s*(.+?)\s*$/.exec(text);
  const bad = (why: string) => new InvalidArgumentError(
    `invalid constraint "${text}": ${why}; use KEY==VALUE or KEY!=VALUE with KEY one of ${FIXED_KEYS.join(', ')}, node.labels.NAME, engine.labels.NAME`);
  if (!m) throw bad('no == or != operator');
  const key = m[1]!;
  if (!FIXED_KEYS.includes(key) && !/^(node|engine)\.labels\.[^.\s]/.test(key)) throw bad(`unknown key "${key}"`);
  return { key, op: m[2] as '==' | '!=', value: m[3]! };
}

/** What a constraint is matched against. */
export interface ConstraintTarget {
  id: string;
  hostname: string;
  role: string;
  os: string;
  arch: string;
  nodeLabels: Readonly<Record<string, string>>;
  engineLabels: Readonly<Record<string, string>>;
}

export function constraintValue(c: Constraint, t: ConstraintTarget): string | undefined {
  switch (c.key) {
    case 'node.id': return t.id;
    case 'node.hostname': return t.hostname;
    case 'node.role': return t.role;
    case 'node.platform.os': return t.os;
    case 'node.platform.arch': return t.arch;
  }
  if (c.key.startsWith('node.labels.')) return t.nodeLabels[c.key.slice('node.labels.'.length)];
  return t.engineLabels[c.key.slice('engine.labels.'.length)];
}

export function constraintMatches(c: Constraint, t: ConstraintTarget): boolean {
  const v = constraintValue(c, t);
  // Values compare case-insensitively, as swarm does; an absent label never equals anything.
  const equal = v !== undefined && v.toLowerCase() === c.value.toLowerCase();
  return c.op === '==' ? equal : !equal;
}
