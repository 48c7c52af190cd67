/**
 * Remembers recently seen span ids, so the spans of a retried export (which storage ignores as
 * duplicates but which may reach listeners again) are not counted twice. Two generations of at
 * most capacity/2 ids each: when the current one fills it becomes the previous one and the oldest
 * generation is dropped whole, so memory is bounded and nothing is ever deleted one by one (which
 * makes a big Set slow). At least the last capacity/2 ids are always remembered.
 */
export class RecentSpanIds {
  private current = new Set<string>();
  private previous = new Set<string>();
  private readonly generation: number;

  constructor(capacity: number) {
    this.generation = Math.max(1, Math.floor(capacity / 2));
  }

  /** True the first time an id is offered (while remembered), false for a repeat. */
  add(id: string): boolean {
    if (this.current.has(id) || this.previous.has(id)) return false;
    if (this.current.size >= this.generation) {
      this.previous = this.current;
      this.current = new Set();
    }
    this.current.add(id);
    return true;
  }

  clear(): void {
    this.current = new Set();
    this.previous = new Set();
  }
}
