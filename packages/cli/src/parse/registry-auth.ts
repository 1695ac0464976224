import { InvalidArgumentError, type RegistryAuth } from '@shoal/api';

const DOCKER_HUB = 'https://index.docker.io/v1/';

/** The registry an image reference is pulled from: its first path part when that looks like a host, else Docker Hub. */
export function registryOf(image: string): string {
  const slash = image.indexOf('/');
  if (slash < 0) return DOCKER_HUB;
  const first = image.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : DOCKER_HUB;
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string }>;
}

/**
 * The credentials ~/.docker/config.json holds for the image's registry (only inline "auths" entries; credential
 * helpers are not read). Undefined when it has none.
 */
export function registryAuthFromConfig(configJson: string, image: string): RegistryAuth | undefined {
  let config: DockerConfig;
  try {
    config = JSON.parse(configJson) as DockerConfig;
  } catch {
    throw new InvalidArgumentError('cannot read ~/.docker/config.json: it is not valid JSON');
  }
  const registry = registryOf(image);
  const strip = (s: string) => s.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  const entry = Object.entries(config.auths ?? {}).find(([key]) => key === registry || strip(key) === strip(registry))?.[1];
  if (!entry) return undefined;
  let { username = '', password = '' } = entry;
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    username = decoded.slice(0, i);
    password = decoded.slice(i + 1);
  }
  return { username, password, serverAddress: registry };
}
