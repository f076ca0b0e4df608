/**
 * In-flight dedupe (docs/protocol.md section 2, layer 2): while a submit of an intent is pending, submitting the same intent
 * again returns the very same promise and sends nothing. Double click, Enter + click and scripted bursts
 * all land here synchronously, before any await, so no second request can leave the browser.
 */
export class InFlight<T> {
  private readonly pending = new Map<string, Promise<T>>();

  run(id: string, start: () => Promise<T>): { promise: Promise<T>; deduped: boolean } {
    const existing = this.pending.get(id);
    if (existing) return { promise: existing, deduped: true };
    const promise = start().finally(() => {
      // Only the promise that is still registered may clear the slot.
      if (this.pending.get(id) === promise) this.pending.delete(id);
    });
    this.pending.set(id, promise);
    return { promise, deduped: false };
  }

  isPending(id: string): boolean {
    return this.pending.has(id);
  }
}
