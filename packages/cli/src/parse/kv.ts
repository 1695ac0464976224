import { InvalidArgumentError } from '@shoal/api';

/** Parses "KEY=VALUE" (or "KEY", meaning an empty value, as docker's --label does). */
export function parseKeyValue(text: string, what = 'label'): [string, string] {
  const i = text.indexOf('=');
  const key = (i < 0 ? text : text.slice(0, i)).trim();
  if (!key || /\s/.test(key)) {
    throw new InvalidArgumentError(`invalid ${what} "${text}": use KEY=VALUE with a non-empty KEY without spaces`);
  }
  return [key, i < 0 ? '' : text.slice(i + 1)];
}

/** Parses repeated KEY=VALUE flags into a map; a later key wins, as in docker. */
export function parseKeyValues(texts: readonly string[], what = 'label'): Record<string, string> {
  const map: Record<string, string> = {};
  for (const t of texts) {
    const [k, v] = parseKeyValue(t, what);
    map[k] = v;
  }
  return map;
}

/** Parses an --env entry: "K=V", or "K" alone to take K from the given environment (docker's rule). */
export function parseEnv(text: string, env: Readonly<Record<string, string | undefined>>): string {
  const [key, value] = parseKeyValue(text, 'environment variable');
  if (text.includes('=')) return `${key}=${value}`;
  const inherited = env[key];
  return inherited === undefined ? key : `${key}=${inherited}`;
}
