import { describe, expect, it } from 'vitest';
import { shoalProto } from '@shoal/api';

describe('decoding the wire contract', () => {
  const control = shoalProto().shoal.v1.Control.service;
  const session = shoalProto().shoal.v1.Dispatcher.service.Session;

  it('fills every message field a client left out with its default message, recursively', () => {
    const method = control.CreateService;
    const decoded = method.requestDeserialize(method.requestSerialize({ spec: { annotations: { name: 'web' }, task: { container: { image: 'a' } } } }));
    expect(decoded.spec.task.restart).toEqual({ condition: '', delayMs: 0, maxAttempts: 0, windowMs: 0 });
    expect(decoded.spec.task.resources.reservations).toEqual({ nanoCpus: 0, memoryBytes: 0 });
    expect(decoded.spec.endpoint.ports).toEqual([]);
    expect(decoded.spec.annotations.labels).toEqual({});
  });

  it('fills messages inside repeated fields too', () => {
    const method = control.ListTasks;
    const decoded = method.responseDeserialize(method.responseSerialize({ tasks: [{ id: 't1' }] }));
    expect(decoded.tasks[0]?.status.container).toEqual({ containerId: '', pid: 0, exitCode: 0, startedAt: 0 });
  });

  it('leaves the members of a oneof absent, so which one was sent stays known', () => {
    const decoded = session.requestDeserialize(session.requestSerialize({ heartbeat: { engineReady: true } }));
    expect(decoded.msg).toBe('heartbeat');
    expect(decoded.register ?? null).toBeNull();
  });

  it('fills the messages inside the oneof member that was sent', () => {
    const decoded = session.requestDeserialize(session.requestSerialize({ register: { token: 't' } }));
    expect(decoded.register?.description.resources).toEqual({ nanoCpus: 0, memoryBytes: 0 });
    expect(decoded.register?.description.platform).toEqual({ os: '', architecture: '' });
  });
});
