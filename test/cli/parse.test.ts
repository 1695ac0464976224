import { describe, expect, it } from 'vitest';
import { parseChoice } from '../../packages/cli/src/parse/choice.js';
import { parseEnv, parseKeyValue, parseKeyValues } from '../../packages/cli/src/parse/kv.js';
import { parseServiceName } from '../../packages/cli/src/parse/name.js';
import { parseNonNegativeInt, parsePort, parseReplicas } from '../../packages/cli/src/parse/numbers.js';
import { parseScaleArg } from '../../packages/cli/src/parse/scale.js';
import { parseSince, parseTail } from '../../packages/cli/src/parse/logs.js';
import { parseManagerListen } from '../../packages/cli/src/daemon/flags.js';

describe('parseKeyValue', () => {
  it.each([
    ['a=b', ['a', 'b']],
    ['a=', ['a', '']],
    ['a', ['a', '']],
    ['a=b=c', ['a', 'b=c']],
    ['zone=east west', ['zone', 'east west']],
  ])('%s', (text, want) => expect(parseKeyValue(text)).toEqual(want));

  it.each(['', '=v', ' =v', 'a b=c'])('refuses %j', (text) => {
    expect(() => parseKeyValue(text, 'label')).toThrow(/invalid label .*KEY=VALUE/);
  });

  it('later keys win', () => expect(parseKeyValues(['a=1', 'b=2', 'a=3'])).toEqual({ a: '3', b: '2' }));
});

describe('parseEnv', () => {
  const env = { HOME: '/root' };
  it.each([
    ['A=1', 'A=1'],
    ['A=', 'A='],
    ['HOME', 'HOME=/root'],
    ['UNSET', 'UNSET'],
  ])('%s -> %s', (text, want) => expect(parseEnv(text, env)).toBe(want));
  it('refuses an empty name', () => expect(() => parseEnv('=x', env)).toThrow(/environment variable/));
});

describe('parseReplicas', () => {
  it.each([['0', 0], ['1', 1], ['30', 30], [' 7 ', 7]])('%j -> %d', (text, n) => expect(parseReplicas(text)).toBe(n));
  it.each(['-1', 'abc', '1.5', '', '1e3', '0x10', '99999999999999999999'])('refuses %j', (text) => {
    expect(() => parseReplicas(text)).toThrow(`invalid replicas value "${text}": must be a non-negative integer`);
  });
  it('names what it parses', () => expect(() => parseNonNegativeInt('x', 'tail')).toThrow(/invalid tail value/));
});

describe('parsePort', () => {
  it.each([['1', 1], ['80', 80], ['65535', 65535]])('%s', (text, n) => expect(parsePort(text, 'port')).toBe(n));
  it.each(['0', '65536', '-1', 'http', '8.5'])('refuses %j', (text) => expect(() => parsePort(text, 'port')).toThrow(/1 to 65535/));
});

describe('parseServiceName', () => {
  it.each(['web', 'a', 'web-1', 'web_1.v2', '9lives', 'x'.repeat(63)])('accepts %j', (n) => expect(parseServiceName(n)).toBe(n));
  it.each(['', 'bad name!', '-web', '.web', '_web', 'x'.repeat(64), 'web/1', 'wéb'])('refuses %j', (n) => {
    expect(() => parseServiceName(n)).toThrow(/invalid service name .*63/);
  });
});

describe('parseChoice', () => {
  it('accepts one of the words', () => expect(parseChoice('drain', ['active', 'pause', 'drain'], 'availability')).toBe('drain'));
  it('names them all otherwise', () => {
    expect(() => parseChoice('sleepy', ['active', 'pause', 'drain'], 'availability')).toThrow('invalid availability "sleepy": use active, pause, drain');
  });
});

describe('parseScaleArg', () => {
  it.each([['web=3', { service: 'web', replicas: 3 }], ['a.b=0', { service: 'a.b', replicas: 0 }]])('%s', (text, want) => {
    expect(parseScaleArg(text)).toEqual(want);
  });
  it.each(['web', '=3', ''])('refuses %j as a specifier', (text) => expect(() => parseScaleArg(text)).toThrow(/invalid scale specifier/));
  it.each(['web=many', 'web=-1', 'web=1.5', 'web='])('refuses %j as replicas', (text) => expect(() => parseScaleArg(text)).toThrow(/invalid replicas value/));
});

describe('parseTail', () => {
  it.each([['all', -1], ['0', 0], ['10', 10]])('%s', (text, n) => expect(parseTail(text)).toBe(n));
  it.each(['-1', 'some', '1.5'])('refuses %j', (text) => expect(() => parseTail(text)).toThrow(/invalid tail value .*"all"/));
});

describe('parseSince', () => {
  const now = 1_700_000_000_000;
  it.each([
    ['10m', now - 600_000],
    ['1h30m', now - 5_400_000],
    ['2013-01-02T13:23:37Z', Date.UTC(2013, 0, 2, 13, 23, 37)],
    ['1700000000', 1_700_000_000_000],
    ['1700000000.5', 1_700_000_000_500],
  ])('%s', (text, ms) => expect(parseSince(text, now)).toBe(ms));
  it.each(['yesterday', '2013-13-45', '10 minutes'])('refuses %j', (text) => expect(() => parseSince(text, now)).toThrow(/invalid since/));
});

describe('parseManagerListen', () => {
  it('takes this node\'s HOST:PORT', () => {
    expect(parseManagerListen('127.0.0.2:4243')).toBe('127.0.0.2:4243');
    expect(parseManagerListen(' node-1.example:4243 ')).toBe('node-1.example:4243');
    expect(parseManagerListen('[::1]:4243')).toBe('[::1]:4243');
  });

  it.each([
    ['127.0.0.2', /^invalid manager listen address "127.0.0.2": use HOST:PORT with a port from 1 to 65535/],
    ['127.0.0.2:0', /^invalid manager listen address "127.0.0.2:0": use HOST:PORT/],
    ['127.0.0.2:70000', /^invalid manager listen address "127.0.0.2:70000": use HOST:PORT/],
    ['0.0.0.0:4243', /^invalid manager listen address "0.0.0.0:4243": the other managers connect to it, so use this node's address/],
    ['[::]:4243', /^invalid manager listen address "\[::\]:4243": the other managers connect to it/],
  ])('refuses %j with one line', (text, message) => {
    expect(() => parseManagerListen(text)).toThrow(message);
  });
});
