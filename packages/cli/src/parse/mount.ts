import { InvalidArgumentError, type Mount } from '@shoal/api';

const TYPES = ['bind', 'volume', 'tmpfs'];
const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** Parses docker's --mount syntax: type=bind|volume|tmpfs,source=…,target=…[,readonly]. */
export function parseMount(text: string): Mount {
  const fail = (why: string): never => {
    throw new InvalidArgumentError(
      `invalid mount "${text}": ${why}; use type=bind|volume|tmpfs,source=SRC,target=/PATH[,readonly]`);
  };
  let type = 'volume';
  let source = '';
  let target = '';
  let readOnly = false;
  for (const part of text.split(',')) {
    const i = part.indexOf('=');
    const key = (i < 0 ? part : part.slice(0, i)).trim().toLowerCase();
    const value = i < 0 ? undefined : part.slice(i + 1).trim();
    switch (key) {
      case 'type':
        if (value === undefined || !TYPES.includes(value)) fail(`unknown type "${value ?? ''}" (bind, volume or tmpfs)`);
        type = value!;
        break;
      case 'source': case 'src':
        source = value ?? '';
        break;
      case 'target': case 'destination': case 'dst':
        target = value ?? '';
        break;
      case 'readonly': case 'ro':
        if (value !== undefined && !['true', 'false', '1', '0'].includes(value)) fail(`readonly takes true or false, not "${value}"`);
        readOnly = value === undefined || value === 'true' || value === '1';
        break;
      default:
        fail(`unknown field "${part}"`);
    }
  }
  if (!target.startsWith('/')) fail(target ? `target "${target}" is not an absolute path` : 'missing target');
  if (type === 'bind' && !source.startsWith('/')) fail(source ? `bind source "${source}" is not an absolute path` : 'a bind mount needs a source');
  if (type === 'volume' && source && !VOLUME_NAME.test(source)) fail(`volume source "${source}" is not a volume name`);
  if (type === 'tmpfs' && source) fail('a tmpfs mount takes no source');
  return { type, source, target, readOnly };
}
