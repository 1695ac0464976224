import { join } from 'node:path';
import { Level } from 'level';
import type { Logger, Task, TaskStatus } from '@shoal/api';

/** The node's credentials, given by the manager on first join. */
export interface Identity {
  nodeId: string;
  nodeSecret: string;
}

/** An assigned task with the last status the agent observed for it. */
export interface StoredTask {
  task: Task;
  status: TaskStatus;
}

const IDENTITY_KEY = 'identity';
const MANAGERS_KEY = 'managers';
const TASK_PREFIX = 'task/';

/**
 * The agent's LevelDB in DATA_DIR/agent: its identity, the managers' addresses and its assigned tasks, so a
 * restarted agent resumes and still finds the leader when the manager it was started with is gone.
 */
export class AgentStore {
  /** Writes are chained so they land in the order they were made. */
  private writes: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(private readonly db: Level<string, unknown>, private readonly logger: Logger) {}

  static async open(dataDir: string, logger: Logger): Promise<AgentStore> {
    const db = new Level<string, unknown>(join(dataDir, 'agent'), { valueEncoding: 'json' });
    await db.open();
    return new AgentStore(db, logger);
  }

  async identity(): Promise<Identity | undefined> {
    return (await this.db.get(IDENTITY_KEY)) as Identity | undefined;
  }

  saveIdentity(identity: Identity): Promise<void> {
    return this.write(() => this.db.put(IDENTITY_KEY, identity));
  }

  async managers(): Promise<string[]> {
    return ((await this.db.get(MANAGERS_KEY)) as string[] | undefined) ?? [];
  }

  saveManagers(addrs: readonly string[]): Promise<void> {
    return this.write(() => this.db.put(MANAGERS_KEY, addrs));
  }

  async tasks(): Promise<StoredTask[]> {
    const out: StoredTask[] = [];
    for await (const value of this.db.values({ gte: TASK_PREFIX, lt: `${TASK_PREFIX}\xff` })) out.push(value as StoredTask);
    return out;
  }

  putTask(entry: StoredTask): Promise<void> {
    return this.write(() => this.db.put(TASK_PREFIX + entry.task.id, entry));
  }

  deleteTask(taskId: string): Promise<void> {
    return this.write(() => this.db.del(TASK_PREFIX + taskId));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.writes;
    await this.db.close();
  }

  private write(op: () => Promise<void>): Promise<void> {
    if (this.closed) return Promise.resolve(); // a runner's last report after stop: the container state is the truth
    this.writes = this.writes.then(op).catch((err: unknown) => {
      this.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'agent store write failed');
    });
    return this.writes;
  }
}
