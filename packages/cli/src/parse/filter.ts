import { InvalidArgumentError } from '@shoal/api';

/** Parsed --filter flags: each key with the values given for it. */
export type Filters = ReadonlyMap<string, readonly string[]>;

/** Parses repeated --filter KEY=VALUE flags, refusing keys the command does not know. */
export function parseFilters(texts: readonly string[], allowedKeys: readonly string[]): Filters {
  const filters = new Map<string, string[]>();
  for (const text of texts) {
    const i = text.indexOf('=');
    if (i <= 0) throw new InvalidArgumentError(`invalid filter "${text}": use KEY=VALUE with KEY one of ${allowedKeys.join(', ')}`);
    const key = text.slice(0, i).trim().toLowerCase();
    if (!allowedKeys.includes(key)) {
      throw new InvalidArgumentError(`invalid filter key "${key}": use one of ${allowedKeys.join(', ')}`);
    }
    filters.set(key, [...(filters.get(key) ?? []), text.slice(i + 1)]);
  }
  return filters;
}

/** A test per filter key: does this item match one value of that key? */
export type FilterTests<T> = Readonly<Record<string, (item: T, value: string) => boolean>>;

/** Values of one key are ORed, different keys are ANDed (docker's rule). */
export function matchesFilters<T>(item: T, filters: Filters, tests: FilterTests<T>): boolean {
  for (const [key, values] of filters) {
    const test = tests[key];
    if (test && !values.some((v) => test(item, v))) return false;
  }
  return true;
}

/** docker's label filter: "KEY" matches when the label exists, "KEY=VALUE" when it has that value. */
export function matchesLabel(labels: Readonly<Record<string, string>>, filter: string): boolean {
  const i = filter.indexOf('=');
  if (i < 0) return filter in labels;
  return labels[filter.slice(0, i)] === filter.slice(i + 1);
}
