import { IngestError } from './ingest-errors.js';

/**
 * One memory budget for the whole collector: every ingest request takes a lease and charges it,
 * before building them, for the bytes of its body (raw and inflated), the text and values its
 * decoding builds, and the spans it holds until they are committed. Beyond the budget the request
 * is refused with 503 + Retry-After instead of being swallowed, so a burst of big bodies cannot take
 * the process past its memory; the lease is given back when the request ends.
 */
export interface MemoryBudgetStats {
  limitBytes: number;
  inUseBytes: number;
  /** Requests refused because the budget was spent. */
  refusals: number;
}

/** Seconds a refused sender is asked to wait: in-flight requests usually finish well within it. */
const RETRY_AFTER_SECONDS = 2;

export class MemoryBudget {
  private inUse = 0;
  private refusals = 0;

  constructor(readonly limitBytes: number) {}

  lease(): BudgetLease {
    return new BudgetLease(this);
  }

  /** Takes `bytes` when they fit; false (and counted) when they do not. */
  take(bytes: number): boolean {
    if (this.inUse + bytes > this.limitBytes) {
      this.refusals++;
      return false;
    }
    this.inUse += bytes;
    return true;
  }

  give(bytes: number): void {
    this.inUse = Math.max(0, this.inUse - bytes);
  }

  stats(): MemoryBudgetStats {
    return { limitBytes: this.limitBytes, inUseBytes: this.inUse, refusals: this.refusals };
  }
}

const mib = (n: number): string => `${Math.round(n / (1024 * 1024))} MiB`;

/**
 * What one request holds of the budget; released once, when the request ends. A request that
 * declares its length reserves what it is expected to cost up front, so a request admitted is
 * rarely refused halfway (after its body was read); charges draw on the reservation first.
 */
export class BudgetLease {
  private held = 0;
  private reserved = 0;

  constructor(private readonly budget: MemoryBudget) {}

  get heldBytes(): number {
    return this.held;
  }

  /** Takes `bytes` ahead of the charges that will use them; throws like charge. */
  reserve(bytes: number, what: string): void {
    this.take(bytes, what);
    this.reserved += bytes;
  }

  /** Charges `bytes` for `what`; throws 503 memory_budget_exceeded when the budget cannot take them. */
  charge(bytes: number, what: string): void {
    const fromReserve = Math.min(this.reserved, Math.max(0, bytes));
    this.reserved -= fromReserve;
    this.take(bytes - fromReserve, what);
  }

  private take(bytes: number, what: string): void {
    if (bytes <= 0) return;
    if (!this.budget.take(bytes)) {
      throw new IngestError(
        'memory_budget_exceeded',
        `the collector's memory budget of ${mib(this.budget.limitBytes)} is spent by requests in flight (this one needed more for ${what}): retry after the Retry-After interval, send smaller batches, or raise --memory-budget / INFERTRACE_MEMORY_BUDGET`,
        { retryAfterSeconds: RETRY_AFTER_SECONDS },
      );
    }
    this.held += bytes;
  }

  release(): void {
    this.budget.give(this.held);
    this.held = 0;
    this.reserved = 0;
  }
}
