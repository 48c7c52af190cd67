/**
 * Remembers the last `capacity` span identities, so the spans of a retried export (which storage
 * ignores as duplicates but which may reach listeners again) are not counted twice. Memory is
 * bounded: the oldest identity is forgotten when a new one arrives at capacity.
 */
export class RecentSpanIds {
  private readonly seen = new Set<string>();
  private readonly ring: string[];
  private next = 0;

  constructor(private readonly capacity: number) {
    this.ring = new Array<string>(capacity).fill('');
  }

  /** True the first time an identity is offered (while remembered), false for a repeat. */
  add(id: string): boolean {
    if (this.seen.has(id)) return false;
    const evicted = this.ring[this.next] as string;
    if (evicted !== '') this.seen.delete(evicted);
    this.ring[this.next] = id;
    this.next = (this.next + 1) % this.capacity;
    this.seen.add(id);
    return true;
  }

  clear(): void {
    this.seen.clear();
    this.ring.fill('');
    this.next = 0;
  }
}
