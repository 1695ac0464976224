import { dispatcherClient, type DispatcherClient } from '@shoal/api';

/** Followers naming a leader are followed at once this many times in a row; past that (stale answers during an election) with backoff. */
const REDIRECTS_AT_ONCE = 3;

/**
 * The managers an agent knows (the address it was started with, then the leader's list) with one dispatcher client
 * each, and which one to try next: a leader a follower named at once, otherwise the next address in turn. Only a
 * full round of failed addresses calls for backoff.
 */
export class ManagerList {
  private addrs: string[];
  private readonly clients = new Map<string, DispatcherClient>();
  private currentAddr: string;
  /** Attempts that did not register since the last registration. */
  private failures = 0;
  private redirects = 0;

  constructor(addrs: readonly string[], private readonly newClient: (addr: string) => DispatcherClient = dispatcherClient) {
    this.addrs = unique(addrs);
    const first = this.addrs[0];
    if (first === undefined) throw new Error('no manager address to connect to');
    this.currentAddr = first;
  }

  /** The manager to connect to now. */
  get current(): string { return this.currentAddr; }

  all(): readonly string[] { return this.addrs; }

  /** The client of the current manager, made on first use. */
  client(): DispatcherClient {
    let client = this.clients.get(this.currentAddr);
    if (!client) {
      client = this.newClient(this.currentAddr);
      this.clients.set(this.currentAddr, client);
    }
    return client;
  }

  /**
   * Takes the leader's list of managers; false when it holds nothing new. Clients of removed addresses are closed,
   * except the current one's, which the live session still uses (it goes when the session moves on).
   */
  replace(addrs: readonly string[]): boolean {
    const next = unique(addrs);
    if (next.length === 0 || next.join() === this.addrs.join()) return false;
    this.addrs = next;
    for (const addr of [...this.clients.keys()]) if (addr !== this.currentAddr) this.forgetIfRemoved(addr);
    return true;
  }

  /** The current manager accepted the node: the next failure starts a new round. */
  registered(): void {
    this.failures = 0;
    this.redirects = 0;
  }

  /** The current manager did not take the node: moves to the next address; true when a full round has failed (back off first). */
  failed(): boolean {
    this.failures++;
    const at = this.addrs.indexOf(this.currentAddr);
    this.moveTo(this.addrs[(at + 1) % this.addrs.length] ?? this.currentAddr);
    return this.failures % this.addrs.length === 0;
  }

  /** A follower named the leader: moves there; true when too many redirects in a row call for backoff first. */
  redirect(leaderAddr: string): boolean {
    if (leaderAddr === this.currentAddr) return this.failed(); // a confused answer: no different from a failure
    if (!this.addrs.includes(leaderAddr)) this.addrs.push(leaderAddr); // a manager, whatever the last list said
    this.moveTo(leaderAddr);
    this.redirects++;
    if (this.redirects <= REDIRECTS_AT_ONCE) return false;
    this.redirects = 0;
    return true;
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }

  private moveTo(addr: string): void {
    const left = this.currentAddr;
    this.currentAddr = addr;
    this.forgetIfRemoved(left);
  }

  private forgetIfRemoved(addr: string): void {
    if (this.addrs.includes(addr) || addr === this.currentAddr) return;
    this.clients.get(addr)?.close();
    this.clients.delete(addr);
  }
}

function unique(addrs: readonly string[]): string[] {
  return [...new Set(addrs.filter((a) => a))];
}
