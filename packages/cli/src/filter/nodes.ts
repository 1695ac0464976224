import type { Node } from '@shoal/api';
import { parseChoice } from '../parse/choice.js';
import { matchesFilters, matchesLabel, parseFilters, type FilterTests, type Filters } from '../parse/filter.js';

const TESTS: FilterTests<Node> = {
  id: (n, v) => n.id.startsWith(v),
  name: (n, v) => n.description.hostname.startsWith(v),
  role: (n, v) => (n.spec.role || 'worker') === v,
  // As in docker: "label" is an engine label, "node.label" a label set with `node update --label-add`.
  label: (n, v) => matchesLabel(n.description.engineLabels, v),
  'node.label': (n, v) => matchesLabel(n.spec.labels, v),
  availability: (n, v) => n.spec.availability === v,
};

export function parseNodeFilters(texts: readonly string[]): Filters {
  const filters = parseFilters(texts, Object.keys(TESTS));
  for (const v of filters.get('role') ?? []) parseChoice(v, ['worker', 'manager'], 'role filter');
  for (const v of filters.get('availability') ?? []) parseChoice(v, ['active', 'pause', 'drain'], 'availability filter');
  return filters;
}

export function filterNodes(nodes: readonly Node[], filters: Filters): Node[] {
  return nodes.filter((n) => matchesFilters(n, filters, TESTS));
}
