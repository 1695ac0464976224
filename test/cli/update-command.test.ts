import { describe, expect, it } from 'vitest';
import { GrpcStatus, type Service, type ServiceSpecInput } from '@shoal/api';
import { updateService } from '../../packages/cli/src/commands/service/update.js';
import { CliError } from '../../packages/cli/src/errors.js';
import { service } from './fixtures.js';

const grpcError = (code: number, details: string) => Object.assign(new Error(details), { code, details });

/** A control API of one service whose version moves on by itself `conflicts` times before a write lands. */
function fakeControl(opts: { conflicts?: number; missing?: boolean; removedBeforeWrite?: boolean } = {}) {
  let version = 3;
  let conflicts = opts.conflicts ?? 0;
  const writes: Array<{ version: number; spec: ServiceSpecInput }> = [];
  const control = {
    getService: async (ref: string): Promise<Service> => {
      if (opts.missing) throw grpcError(GrpcStatus.NOT_FOUND, `no such service: ${ref}`);
      const s = service({ name: 'web' });
      s.meta.version = version;
      return s;
    },
    updateService: async (_ref: string, v: number, spec: ServiceSpecInput): Promise<Service> => {
      if (opts.removedBeforeWrite) throw grpcError(GrpcStatus.NOT_FOUND, 'no such service: svcid00000000000000000001');
      writes.push({ version: v, spec });
      if (conflicts > 0) { conflicts--; version++; throw grpcError(GrpcStatus.ABORTED, 'version conflict'); }
      return service({ name: 'web', state: 'updating' });
    },
  };
  return { control, writes };
}

describe('service update against the manager', () => {
  it('reads the service again and reapplies the change after a version conflict', async () => {
    const { control, writes } = fakeControl({ conflicts: 2 });
    const updated = await updateService(control, 'web', (s) => ({ ...s.spec, replicas: 5 }));
    expect(updated.updateStatus.state).toBe('updating');
    expect(writes.map((w) => [w.version, w.spec.replicas])).toEqual([[3, 5], [4, 5], [5, 5]]);
  });

  it('gives up after a few conflicts with the manager\'s error', async () => {
    const { control } = fakeControl({ conflicts: 10 });
    await expect(updateService(control, 'web', (s) => s.spec)).rejects.toMatchObject({ code: GrpcStatus.ABORTED });
  });

  it('says a missing service is missing by the name given, whether gone before the read or before the write', async () => {
    await expect(updateService(fakeControl({ missing: true }).control, 'web', (s) => s.spec)).rejects.toEqual(new CliError('no such service: web'));
    await expect(updateService(fakeControl({ removedBeforeWrite: true }).control, 'web', (s) => s.spec)).rejects.toEqual(new CliError('no such service: web'));
  });
});
