import type Dockerode from 'dockerode';

type DialOptions = Parameters<Dockerode['modem']['dial']>[0];

/**
 * Sends a request whose answer is read as a stream. dockerode's buffered calls never settle when the connection
 * drops after the headers (a long wait on a container, the engine restarting), so long calls go through here.
 */
export function dialStream(docker: Dockerode, options: DialOptions): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => {
    docker.modem.dial({ ...options, isStream: true }, (err, res) => (err ? reject(err) : resolve(res as NodeJS.ReadableStream)));
  });
}

/** Feeds the body to onData; resolves at its end, rejects (as a connection error) if the connection closes first. */
export function readToEnd(body: NodeJS.ReadableStream, onData: (chunk: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let ended = false;
    body.on('data', (chunk: Buffer) => onData(chunk));
    body.on('end', () => {
      ended = true;
      resolve();
    });
    body.on('error', reject);
    body.on('close', () => {
      if (!ended) reject(Object.assign(new Error('connection to the engine closed'), { code: 'ECONNRESET' }));
    });
  });
}
