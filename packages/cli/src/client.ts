import {
  call, controlClient,
  type Cluster, type ControlClient, type Event, type EventsRequest, type Info, type LogLine, type Node, type Service, type ServiceSpecInput, type Task,
} from '@shoal/api';
import type { CallOptions, ClientReadableStream, ServiceError } from '@grpc/grpc-js';
import { grpcTarget } from './parse/host.js';

/** Unary calls fail after this long, so an unreachable manager is reported instead of waited for. */
export const UNARY_TIMEOUT_MS = 5_000;

/** The control API as the commands use it: promises with a deadline, typed requests. */
export class Control {
  private readonly client: ControlClient;

  constructor(host: string) {
    this.client = controlClient(grpcTarget(host));
  }

  private unary<Req, Res>(method: (req: Req, options: CallOptions, cb: (err: ServiceError | null, res?: Res) => void) => unknown, req: Req): Promise<Res> {
    return call(method.bind(this.client), req, UNARY_TIMEOUT_MS);
  }

  getInfo(): Promise<Info> { return this.unary(this.client.getInfo, {}); }
  getCluster(): Promise<Cluster> { return this.unary(this.client.getCluster, {}); }
  updateCluster(req: { heartbeatPeriodMs: number; taskHistoryLimit: number }): Promise<Cluster> {
    return this.unary(this.client.updateCluster, req);
  }
  getJoinToken(role: string, rotate: boolean): Promise<{ token: string; addr: string }> {
    return this.unary(this.client.getJoinToken, { role, rotate });
  }

  async listNodes(): Promise<Node[]> { return (await this.unary<object, { nodes: Node[] }>(this.client.listNodes, {})).nodes; }
  getNode(ref: string): Promise<Node> { return this.unary(this.client.getNode, { ref }); }
  updateNode(req: { ref: string; availability?: string; labelAdd?: Record<string, string>; labelRm?: string[]; role?: string }): Promise<Node> {
    return this.unary(this.client.updateNode, req);
  }
  async removeNode(ref: string, force: boolean): Promise<void> { await this.unary(this.client.removeNode, { ref, force }); }

  async listServices(): Promise<Service[]> { return (await this.unary<object, { services: Service[] }>(this.client.listServices, {})).services; }
  getService(ref: string): Promise<Service> { return this.unary(this.client.getService, { ref }); }
  createService(spec: ServiceSpecInput): Promise<Service> { return this.unary(this.client.createService, { spec }); }
  updateService(ref: string, version: number, spec: ServiceSpecInput): Promise<Service> {
    return this.unary(this.client.updateService, { ref, version, spec });
  }
  /** Returns the service to its previous spec (the manager's rollback; no version check). */
  rollbackService(ref: string): Promise<Service> {
    return this.unary(this.client.updateService, { ref, version: 0, rollback: true });
  }
  async removeService(ref: string): Promise<void> { await this.unary(this.client.removeService, { ref }); }

  /** Tasks of the given services and nodes (refs by id, id prefix or name); no refs: every task. */
  async listTasks(serviceRefs: string[] = [], nodeRefs: string[] = []): Promise<Task[]> {
    return (await this.unary<object, { tasks: Task[] }>(this.client.listTasks, { serviceRefs, nodeRefs })).tasks;
  }

  /** A stream of log lines; no deadline, since --follow runs until interrupted. */
  serviceLogs(req: { ref: string; follow: boolean; tail: number; since: number }): ClientReadableStream<LogLine> {
    return this.client.serviceLogs(req);
  }

  /** The cluster's events: those after `afterIndex` (else since `since`, unix ms), then live ones; no deadline. */
  events(req: EventsRequest): ClientReadableStream<Event> {
    return this.client.events(req);
  }

  close(): void { this.client.close(); }
}
