import type { Service } from '@shoal/api';
import { parseChoice } from '../parse/choice.js';
import { matchesFilters, matchesLabel, parseFilters, type FilterTests, type Filters } from '../parse/filter.js';

const TESTS: FilterTests<Service> = {
  // Names and ids match by prefix, as swarm's service filters do.
  id: (s, v) => s.id.startsWith(v),
  name: (s, v) => s.spec.annotations.name.startsWith(v),
  mode: (s, v) => s.spec.mode === v,
  label: (s, v) => matchesLabel(s.spec.annotations.labels, v),
};

export function parseServiceFilters(texts: readonly string[]): Filters {
  const filters = parseFilters(texts, Object.keys(TESTS));
  for (const v of filters.get('mode') ?? []) parseChoice(v, ['replicated', 'global'], 'mode filter');
  return filters;
}

export function filterServices(services: readonly Service[], filters: Filters): Service[] {
  return services.filter((s) => matchesFilters(s, filters, TESTS));
}
