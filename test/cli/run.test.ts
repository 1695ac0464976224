// The command line as a whole, in-process: usage errors are one line and exit 1 before any call is made.
import { describe, expect, it } from 'vitest';
import { captureOutput } from '../../packages/cli/src/output.js';
import { run } from '../../packages/cli/src/run.js';

async function shoal(...argv: string[]) {
  const out = captureOutput();
  // Port 1 on loopback refuses connections: any call made would end in "cannot reach manager".
  const code = await run(argv, { out, env: { SHOAL_HOST: '127.0.0.1:1' }, home: '/home/u', now: () => 0 });
  return { code, stdout: out.stdout, stderr: out.stderr };
}

describe('shoal command line', () => {
  it.each<[string[], RegExp]>([
    [['service', 'create', '--replicas', 'abc', 'img'], /^Error: invalid replicas value "abc": must be a non-negative integer$/],
    [['service', 'create', '--bogus', 'img'], /^error: unknown option '--bogus'$/],
    [['service', 'lss'], /^error: unknown command 'lss' \(Did you mean ls\?\)$/],
    [['service', 'create'], /^error: missing required argument 'image'$/],
    [['service', 'ls', '--filter', 'color=red'], /^Error: invalid filter key "color": use one of id, name, mode, label$/],
    [['service', 'ls', '--format', 'yaml'], /^Error: invalid format "yaml": use table, json, or a template such as/],
    [['service', 'ps', 'web', '--filter', 'desired-state=dead'], /invalid desired-state filter "dead"/],
    [['service', 'scale', 'web'], /invalid scale specifier "web"/],
    [['service', 'logs', '--tail', 'x', 'web'], /invalid tail value "x"/],
    [['node', 'update', '--availability', 'sleepy', 'n'], /invalid availability "sleepy"/],
    [['join-token', 'boss'], /invalid role "boss": use worker/],
    [['cluster', 'update', '--dispatcher-heartbeat', 'soon'], /invalid dispatcher heartbeat "soon".*duration/],
    [['--host', 'nowhere', 'service', 'ls'], /^Error: invalid host "nowhere"/],
    [['agent', '--join', 'm:1', '--token', 't', '--advertise', '127.0.0.2'], /required option '--data-dir <dir>' not specified/],
    [['agent', '--join', 'm:1', '--token', 't', '--advertise', '127.0.0.2', '--data-dir', '/tmp/x', '--manager-listen', '127.0.0.2'],
      /^Error: invalid manager listen address "127.0.0.2": use HOST:PORT/],
    [['agent', '--join', 'm:1', '--token', 't', '--advertise', '127.0.0.2', '--data-dir', '/tmp/x', '--manager-listen', '0.0.0.0:4243'],
      /^Error: invalid manager listen address "0.0.0.0:4243": the other managers connect to it/],
    [['manager', '--listen', 'localhost', '--data-dir', '/tmp/x'], /invalid listen address "localhost"/],
    [['manager', '--label', 'zone=east', '--data-dir', '/tmp/x'], /add --agent/],
    [['manager', '--log-level', 'loud', '--data-dir', '/tmp/x'], /invalid log level "loud"/],
  ])('%j fails with one line', async (argv, message) => {
    const r = await shoal(...argv);
    expect(r.code).toBe(1);
    expect(r.stderr).toHaveLength(1);
    expect(r.stderr[0]).toMatch(message);
    expect(r.stdout).toEqual([]);
  });

  it('reports an unreachable manager by its address', async () => {
    const r = await shoal('service', 'ls');
    expect(r).toEqual({ code: 1, stdout: [], stderr: ['cannot reach manager at 127.0.0.1:1'] });
  });

  it('hands the words after the image to the container, flags included', async () => {
    // Parsing succeeds (the failure is only the unreachable manager), so "-c" was not taken as a shoal flag.
    const r = await shoal('service', 'create', '--name', 'x', '-d', 'busybox', 'sh', '-c', 'echo hi');
    expect(r.stderr).toEqual(['cannot reach manager at 127.0.0.1:1']);
  });

  it('prints help and the version with exit 0', async () => {
    expect((await shoal('--version')).code).toBe(0);
    const help = await shoal('service', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout.join('')).toMatch(/create \[options\] <image> \[command\.\.\.\]/);
  });
});
