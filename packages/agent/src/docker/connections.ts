import { readFile } from 'node:fs/promises';

/** /proc/net/tcp's state of an established connection. */
const TCP_ESTABLISHED = '01';

/**
 * Counts the established TCP connections in the text of a /proc/<pid>/net/tcp or tcp6 file whose local port is one
 * of `ports`. Each line after the header is "sl: LOCAL_ADDR:PORT REMOTE_ADDR:PORT ST …" with the addresses and the
 * port in hex; the file lists every socket of the process's network namespace, so for a container's pid these are
 * the container's connections, whichever proxy or node carried them in.
 */
export function establishedOn(text: string, ports: ReadonlySet<number>): number {
  let n = 0;
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 4 || !fields[0]!.endsWith(':')) continue; // the header, or a blank line
    const local = fields[1]!;
    const colon = local.lastIndexOf(':');
    if (colon < 0 || fields[3] !== TCP_ESTABLISHED) continue;
    const port = Number.parseInt(local.slice(colon + 1), 16);
    if (ports.has(port)) n++;
  }
  return n;
}

/**
 * The established TCP connections on `ports` in the network namespace of the process `pid` (a container's main
 * process, as the engine reports it), IPv4 and IPv6; 0 when the files cannot be read (the process is gone, or the
 * engine runs on another host).
 */
export async function establishedConnections(pid: number, ports: ReadonlySet<number>, procRoot = '/proc'): Promise<number> {
  if (!pid || !ports.size) return 0;
  const read = (file: string) => readFile(`${procRoot}/${pid}/net/${file}`, 'utf8').catch(() => '');
  const [tcp, tcp6] = await Promise.all([read('tcp'), read('tcp6')]);
  return establishedOn(tcp, ports) + establishedOn(tcp6, ports);
}
