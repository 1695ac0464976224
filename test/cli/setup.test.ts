import { describe, expect, it } from 'vitest';
import { demoImageTar, isStaticElf } from '../../packages/cli/src/setup/demo-image.js';
import { describeEngine, engineAddress } from '../../packages/cli/src/setup/engine-api.js';
import { tarArchive } from '../../packages/cli/src/setup/tar.js';

/** Reads back the entries of a ustar archive, checking every header checksum. */
function readTar(buf: Buffer): Array<{ name: string; type: string; size: number; mode: number; link: string; content: string }> {
  const entries = [];
  for (let at = 0; at + 512 <= buf.length;) {
    const h = buf.subarray(at, at + 512);
    if (h.every((b) => b === 0)) break;
    const str = (o: number, n: number) => h.subarray(o, o + n).toString('utf8').replace(/\0.*$/s, '');
    const sum = h.reduce((s, b, i) => s + (i >= 148 && i < 156 ? 32 : b), 0);
    expect(parseInt(str(148, 8), 8)).toBe(sum);
    expect(str(257, 6)).toBe('ustar');
    const size = parseInt(str(124, 12), 8);
    entries.push({
      name: str(0, 100), type: str(156, 1), size, mode: parseInt(str(100, 8), 8), link: str(157, 100),
      content: buf.subarray(at + 512, at + 512 + size).toString('utf8'),
    });
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

describe('tarArchive', () => {
  it('writes files, directories and links that read back', () => {
    const tar = tarArchive([
      { type: 'dir', path: 'www' },
      { type: 'file', path: 'www/index.html', content: Buffer.from('hello') },
      { type: 'file', path: 'big', content: Buffer.alloc(513, 97), mode: 0o755 },
      { type: 'symlink', path: 'bin/sh', target: 'busybox' },
    ]);
    expect(tar.length % 512).toBe(0);
    expect(readTar(tar)).toEqual([
      { name: 'www/', type: '5', size: 0, mode: 0o755, link: '', content: '' },
      { name: 'www/index.html', type: '0', size: 5, mode: 0o644, link: '', content: 'hello' },
      { name: 'big', type: '0', size: 513, mode: 0o755, link: '', content: 'a'.repeat(513) },
      { name: 'bin/sh', type: '2', size: 0, mode: 0o777, link: 'busybox', content: '' },
    ]);
  });

  it('refuses paths longer than a header holds', () => {
    expect(() => tarArchive([{ type: 'dir', path: 'x'.repeat(101) }])).toThrow(/too long/);
  });
});

describe('demo image', () => {
  it('holds busybox, /bin/sh and the page httpd serves', () => {
    const entries = readTar(demoImageTar(Buffer.from('ELF'), '<h1>hi</h1>'));
    expect(entries.map((e) => e.name)).toEqual(['bin/', 'bin/busybox', 'bin/sh', 'tmp/', 'www/', 'www/index.html']);
    expect(entries.find((e) => e.name === 'bin/busybox')?.mode).toBe(0o755);
    expect(entries.find((e) => e.name === 'www/index.html')?.content).toBe('<h1>hi</h1>');
  });

  /** A minimal little-endian ELF64 header with the given program header types. */
  function elf64(types: number[]): Buffer {
    const buf = Buffer.alloc(64 + types.length * 56);
    buf.writeUInt32BE(0x7f454c46, 0);
    buf[4] = 2; // 64-bit
    buf[5] = 1; // little-endian
    buf.writeBigUInt64LE(64n, 0x20);
    buf.writeUInt16LE(56, 0x36);
    buf.writeUInt16LE(types.length, 0x38);
    types.forEach((t, i) => buf.writeUInt32LE(t, 64 + i * 56));
    return buf;
  }

  it.each([
    ['a static executable', elf64([1, 1, 4]), true],
    ['a dynamic executable (PT_INTERP)', elf64([6, 3, 1]), false],
    ['not an ELF file', Buffer.from('#!/bin/sh\necho hi\n'.padEnd(80)), false],
    ['a truncated header table', elf64([1]).subarray(0, 66), false],
  ])('tells %s', (_what, buf, want) => expect(isStaticElf(buf)).toBe(want));
});

describe('engineAddress', () => {
  it.each([
    [undefined, 'unix:///var/run/docker.sock'],
    ['', 'unix:///var/run/docker.sock'],
    ['unix:///run/user/docker.sock', 'unix:///run/user/docker.sock'],
    ['tcp://127.0.0.1:2375', 'tcp://127.0.0.1:2375'],
  ])('DOCKER_HOST=%j', (host, want) => expect(describeEngine(engineAddress(host))).toBe(want));
  it('refuses others', () => expect(() => engineAddress('ssh://me@host')).toThrow(/unsupported DOCKER_HOST/));
});
