import type { NodeInfo } from './node-info.js';

/**
 * A binary min-heap of nodes for placing one batch. Only the top node changes between operations
 * (it receives the task), so keys may be read live from the NodeInfo.
 */
export class NodeHeap {
  private readonly items: NodeInfo[];

  constructor(nodes: NodeInfo[], private readonly less: (a: NodeInfo, b: NodeInfo) => boolean) {
    this.items = nodes;
    for (let i = (nodes.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  peek(): NodeInfo | undefined { return this.items[0]; }

  /** The top node's key grew: restore the order. */
  topChanged(): void { this.siftDown(0); }

  /** The top node can take no more tasks of this batch. */
  dropTop(): void {
    const last = this.items.pop();
    if (last === undefined || this.items.length === 0) return;
    this.items[0] = last;
    this.siftDown(0);
  }

  private siftDown(i: number): void {
    const a = this.items;
    const n = a.length;
    const item = a[i];
    if (item === undefined) return;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      let child = a[l]!;
      if (r < n && this.less(a[r]!, child)) { c = r; child = a[r]!; }
      if (!this.less(child, item)) break;
      a[i] = child;
      i = c;
    }
    a[i] = item;
  }
}
