import type Dockerode from 'dockerode';
import type { Task } from '@shoal/api';
import { engineError, httpStatus } from './errors.js';

interface PullProgress {
  error?: string;
  errorDetail?: { message?: string };
}

/**
 * Makes sure a task's image is present, pulling it (with the task's registry credentials) when it is not.
 * Tasks that need the same image at the same time share one check and one pull: a burst of 50 replicas costs the
 * engine one image inspect, not 50. The first caller's abort signal governs a shared pull (aborts come when the
 * agent stops, for every runner at once).
 */
export class ImagePuller {
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(private readonly docker: Dockerode, private readonly host: string) {}

  ensure(task: Task, signal: AbortSignal): Promise<void> {
    const image = task.spec.container.image;
    let pending = this.inflight.get(image);
    if (!pending) {
      pending = this.ensureNow(task, signal).finally(() => this.inflight.delete(image));
      this.inflight.set(image, pending);
    }
    return pending;
  }

  private async ensureNow(task: Task, signal: AbortSignal): Promise<void> {
    const image = task.spec.container.image;
    try {
      await this.docker.getImage(image).inspect();
      return;
    } catch (err) {
      if (httpStatus(err) !== 404) throw engineError(err, this.host);
    }
    const auth = task.registryAuth.username
      ? { username: task.registryAuth.username, password: task.registryAuth.password, serveraddress: task.registryAuth.serverAddress }
      : undefined;
    const { repository, tag } = splitImage(image);
    try {
      const stream = await this.docker.createImage(auth, { fromImage: repository, tag, abortSignal: signal });
      await new Promise<void>((resolve, reject) => {
        this.docker.modem.followProgress(stream, (err: Error | null, output: PullProgress[]) => {
          // A pull that fails half-way still answers 200: the error is a line of the progress stream.
          const failed = output?.find((o) => o.error || o.errorDetail?.message);
          if (err) reject(err);
          else if (failed) reject(new Error(failed.errorDetail?.message || failed.error));
          else resolve();
        });
      });
    } catch (err) {
      throw engineError(err, this.host);
    }
  }
}

/** "registry:5000/repo:tag" or "repo@sha256:…" into the repository and the tag (or digest); "latest" when absent. */
export function splitImage(image: string): { repository: string; tag: string } {
  const at = image.indexOf('@');
  if (at >= 0) return { repository: image.slice(0, at), tag: image.slice(at + 1) };
  const colon = image.lastIndexOf(':');
  if (colon > image.lastIndexOf('/')) return { repository: image.slice(0, colon), tag: image.slice(colon + 1) };
  return { repository: image, tag: 'latest' };
}
