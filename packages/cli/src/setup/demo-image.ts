import { readFileSync } from 'node:fs';
import { CliError } from '../errors.js';
import { engineRequest, type EngineAddress } from './engine-api.js';
import { aptInstall, isRoot } from './system.js';
import { tarArchive } from './tar.js';

export const DEMO_IMAGE = 'shoal-demo:1';
/** Debian's busybox-static puts a statically linked busybox here, which runs in an otherwise empty image. */
export const STATIC_BUSYBOX = '/bin/busybox';
// As PID 1, httpd would ignore SIGTERM and every stop would wait out the grace period: a shell traps it.
export const DEMO_CMD = ['/bin/sh', '-c', "trap 'exit 0' TERM; /bin/busybox httpd -f -p 80 -h /www & wait"];
export const DEMO_INDEX = '<!doctype html>\n<title>shoal</title>\n<h1>Hello from shoal</h1>\n<p>This page is served by the demo service.</p>\n';

/** Whether an ELF executable needs no dynamic loader (has no PT_INTERP program header). */
export function isStaticElf(elf: Buffer): boolean {
  if (elf.length < 64 || elf.readUInt32BE(0) !== 0x7f454c46) return false;
  const is64 = elf[4] === 2;
  const le = elf[5] === 1;
  const u16 = (o: number) => (le ? elf.readUInt16LE(o) : elf.readUInt16BE(o));
  const u32 = (o: number) => (le ? elf.readUInt32LE(o) : elf.readUInt32BE(o));
  const phoff = is64 ? Number(le ? elf.readBigUInt64LE(0x20) : elf.readBigUInt64BE(0x20)) : u32(0x1c);
  const phentsize = u16(is64 ? 0x36 : 0x2a);
  const phnum = u16(is64 ? 0x38 : 0x2c);
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + 4 > elf.length) return false;
    if (u32(at) === 3) return false; // PT_INTERP
  }
  return true;
}

/** The root filesystem of the demo image: busybox, a /bin/sh link to it, and the page httpd serves. */
export function demoImageTar(busybox: Buffer, index = DEMO_INDEX): Buffer {
  return tarArchive([
    { type: 'dir', path: 'bin' },
    { type: 'file', path: 'bin/busybox', content: busybox, mode: 0o755 },
    { type: 'symlink', path: 'bin/sh', target: 'busybox' },
    { type: 'dir', path: 'tmp', mode: 0o1777 },
    { type: 'dir', path: 'www' },
    { type: 'file', path: 'www/index.html', content: Buffer.from(index) },
  ]);
}

function readStaticBusybox(): Buffer | undefined {
  try {
    const elf = readFileSync(STATIC_BUSYBOX);
    return isStaticElf(elf) ? elf : undefined;
  } catch {
    return undefined;
  }
}

export async function imageExists(engine: EngineAddress, image: string): Promise<boolean> {
  return (await imageCmd(engine, image)) !== undefined;
}

/** The CMD of a local image, or undefined when there is no such image. */
async function imageCmd(engine: EngineAddress, image: string): Promise<string[] | undefined> {
  const res = await engineRequest(engine, 'GET', `/images/${encodeURIComponent(image)}/json`);
  if (res.status !== 200) return undefined;
  return (JSON.parse(res.body.toString('utf8')) as { Config?: { Cmd?: string[] | null } }).Config?.Cmd ?? [];
}

/**
 * Makes sure the demo image exists, building it locally (no registry needed) with the engine's import from
 * Debian's static busybox, installing busybox-static first when it is missing and we are root.
 */
export async function ensureDemoImage(engine: EngineAddress, say: (line: string) => void, image = DEMO_IMAGE): Promise<void> {
  // An image built by an older shoal (another CMD) is rebuilt, so the tag always means this version's image.
  if (JSON.stringify(await imageCmd(engine, image)) === JSON.stringify(DEMO_CMD)) return;
  let busybox = readStaticBusybox();
  if (!busybox) {
    if (!isRoot()) throw new CliError(`building ${image} needs a static busybox at ${STATIC_BUSYBOX}: as root run \`apt-get install -y busybox-static\``);
    say('Installing busybox-static (apt-get install -y busybox-static)...');
    await aptInstall(['busybox-static']);
    busybox = readStaticBusybox();
    if (!busybox) throw new CliError(`${STATIC_BUSYBOX} is still not a static busybox after installing busybox-static`);
  }
  say(`Building ${image}...`);
  const [repo, tag = 'latest'] = image.split(':');
  const query = new URLSearchParams({ fromSrc: '-', repo: repo!, tag, changes: `CMD ${JSON.stringify(DEMO_CMD)}` });
  const res = await engineRequest(engine, 'POST', `/images/create?${query.toString()}`, demoImageTar(busybox), 60_000);
  const text = res.body.toString('utf8');
  const failure = /"error"\s*:\s*"([^"]*)"/.exec(text)?.[1];
  if (res.status !== 200 || failure) throw new CliError(`building ${image} failed: ${failure ?? `engine answered ${res.status}: ${text.trim()}`}`);
}
