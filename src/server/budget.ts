/**
 * One memory budget for the whole server: buffered request bodies plus responses held.
 * See ARCHITECTURE.md, "Server defences".
 */
import { StaticEmbedError } from '../errors.js';

export class MemoryBudget {
  private inUse = 0;

  constructor(readonly limit: number) {}

  /** Bytes reserved now. */
  get used(): number {
    return this.inUse;
  }

  lease(): Lease {
    return new Lease(this);
  }

  /** @internal */
  take(bytes: number): boolean {
    if (this.inUse + bytes > this.limit) return false;
    this.inUse += bytes;
    return true;
  }

  /** @internal */
  give(bytes: number): void {
    this.inUse -= bytes;
  }
}

export class Lease {
  private held = 0;
  constructor(private readonly budget: MemoryBudget) {}

  get bytes(): number {
    return this.held;
  }

  /** Reserves `bytes` more, or throws OVERLOADED (nothing reserved) when the budget has no room. */
  reserve(bytes: number, what: string): void {
    if (!this.budget.take(bytes)) {
      throw new StaticEmbedError(
        'OVERLOADED',
        `The server is overloaded: ${what} needs ${bytes} bytes and ${this.budget.used} of its ` +
          `${this.budget.limit}-byte memory budget are in use (--max-memory-bytes); retry shortly.`,
      );
    }
    this.held += bytes;
  }

  /** Gives back everything this lease holds. */
  release(): void {
    this.budget.give(this.held);
    this.held = 0;
  }
}
