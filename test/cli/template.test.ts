import { describe, expect, it } from 'vitest';
import { parseTemplate, renderTemplate } from '../../packages/cli/src/format/template.js';
import { CliError } from '../../packages/cli/src/errors.js';

const rows = [{ ID: 'abc', Name: 'web.1', Node: 'node-1' }, { ID: 'defgh', Name: 'web.2', Node: 'node-2' }];
const headers = { ID: 'ID', Name: 'NAME', Node: 'NODE' };

describe('--format templates', () => {
  it.each([
    ['{{.Name}}', ['web.1', 'web.2']],
    ['{{.Name}} on {{ .Node }}', ['web.1 on node-1', 'web.2 on node-2']],
    ['{{.ID}}\\t{{.Name}}', ['abc\tweb.1', 'defgh\tweb.2']],
    ['{{json .}}', [JSON.stringify(rows[0]), JSON.stringify(rows[1])]],
    ['table {{.ID}}\\t{{.Node}}', ['ID      NODE', 'abc     node-1', 'defgh   node-2']],
  ])('renders %s', (source, expected) => {
    expect(renderTemplate(parseTemplate(source), rows, headers)).toEqual(expected);
  });

  it('refuses an unknown field, naming the fields there are', () => {
    expect(() => renderTemplate(parseTemplate('{{.Colour}}'), rows, headers)).toThrow(/no field "Colour"; the fields are ID, Name, Node/);
  });

  it('refuses template syntax it does not know', () => {
    expect(() => parseTemplate('{{range .}}x{{end}}')).toThrow(CliError);
  });
});
