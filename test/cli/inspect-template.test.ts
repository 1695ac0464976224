import { describe, expect, it } from 'vitest';
import { inspectPrinter } from '../../packages/cli/src/format/inspect.js';
import { parseInspectTemplate, renderInspect } from '../../packages/cli/src/format/inspect-template.js';
import { CliError } from '../../packages/cli/src/errors.js';

const services = [
  { id: 'abc', spec: { annotations: { name: 'web' }, replicas: 3, global: false }, endpoints: [{ publishedPort: 8080 }] },
  { id: 'def', spec: { annotations: { name: 'api' }, replicas: 0, global: false }, endpoints: [] },
];

describe('inspect --format templates', () => {
  it.each([
    ['{{.id}}', ['abc', 'def']],
    ['{{.spec.annotations.name}} {{ .spec.replicas }}', ['web 3', 'api 0']],
    ['{{.spec.global}}', ['false', 'false']],
    ['{{.id}}\\t{{json .endpoints}}', ['abc\t[{"publishedPort":8080}]', 'def\t[]']],
    ['{{.spec.annotations}}', ['{"name":"web"}', '{"name":"api"}']],
    ['{{json .spec.annotations.name}}', ['"web"', '"api"']],
    ['{{json .}}', [JSON.stringify(services[0]), JSON.stringify(services[1])]],
    ['{{.}}', [JSON.stringify(services[0]), JSON.stringify(services[1])]],
    ['name: {{.spec.annotations.name}}!', ['name: web!', 'name: api!']],
  ])('renders %s, a line per object', (source, expected) => {
    expect(renderInspect(parseInspectTemplate(source), services)).toEqual(expected);
  });

  it('paths follow the JSON inspect prints', () => {
    const withUndefined = [{ id: 'x', gone: undefined, when: new Date(0) }];
    expect(renderInspect(parseInspectTemplate('{{.when}}'), withUndefined)).toEqual(['1970-01-01T00:00:00.000Z']);
    expect(() => renderInspect(parseInspectTemplate('{{.gone}}'), withUndefined)).toThrow(/no field "gone" in the object; its fields are id, when/);
  });

  it('refuses a path that is not there, naming the fields where it stopped', () => {
    expect(() => renderInspect(parseInspectTemplate('{{.spec.replica}}'), services))
      .toThrow(/^invalid format: no field "replica" in \.spec; its fields are annotations, replicas, global$/);
    expect(() => renderInspect(parseInspectTemplate('{{.Spec.Name}}'), services)).toThrow(/no field "Spec" in the object; its fields are id, spec, endpoints/);
    expect(() => renderInspect(parseInspectTemplate('{{.spec.replicas.count}}'), services)).toThrow(/no field "count" in \.spec\.replicas \(it is not an object\)/);
  });

  it('refuses template syntax it does not know', () => {
    for (const source of ['{{range .endpoints}}x{{end}}', '{{if .id}}x{{end}}', '{{.id', '{{ index .endpoints 0 }}']) {
      expect(() => parseInspectTemplate(source)).toThrow(CliError);
    }
    expect(() => parseInspectTemplate('{{.id}')).toThrow(/invalid format "\{\{\.id\}": use paths into the inspected JSON/);
  });
});

describe('inspect printers', () => {
  const pretty = (o: { id: string }): string[] => [`ID: ${o.id}`, 'more'];

  it('prints the JSON array by default and for --format json', () => {
    for (const flags of [{}, { format: 'json' }]) {
      expect(inspectPrinter(flags, pretty)(services)).toEqual([JSON.stringify(services, null, 4)]);
    }
  });

  it('prints --pretty objects with a blank line between them', () => {
    expect(inspectPrinter({ pretty: true }, pretty)(services)).toEqual(['ID: abc', 'more', '', 'ID: def', 'more']);
  });

  it('refuses --format with --pretty, and a bad template, before anything is asked', () => {
    expect(() => inspectPrinter({ pretty: true, format: '{{.id}}' }, pretty)).toThrow(/^--format and --pretty cannot be used together/);
    expect(() => inspectPrinter({ format: '{{range .}}' }, pretty)).toThrow(CliError);
  });
});
