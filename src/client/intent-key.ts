import { z } from "zod";
import { CARD_TOKENS, type CardToken } from "@/shared/names";

/**
 * One idempotency key per shopper intent (docs/protocol.md section 2, layer 1). The key is created at the first submit, reused
 * by every retry and by a reload of the tab (sessionStorage, keyed by the intent's fingerprint), and
 * dropped once the outcome is final. A changed cart or card has another fingerprint, so it gets its own key.
 */

export type KeyStorage = Pick<Storage, "getItem" | "setItem" | "removeItem" | "key" | "length">;

/** The simulated provider's test cards (docs/protocol.md section 7). */
const cardTokens = CARD_TOKENS;

export type { CardToken };

export type CheckoutIntent = { items: { productId: string; quantity: number }[]; token: CardToken };

export type StoredIntent<T> = { key: string; fingerprint: string; intent: T; createdAt: number };

const storedEntry = z.object({
  key: z.string().min(1),
  fingerprint: z.string(),
  intent: z.unknown(),
  createdAt: z.number(),
});
const checkoutIntent = z.object({
  items: z.array(z.object({ productId: z.string(), quantity: z.number().int() })),
  token: z.enum(cardTokens),
});

/** Canonical JSON of the intent: line items sorted by product, fixed field order; equal carts, equal prints. */
export function checkoutFingerprint(intent: CheckoutIntent): string {
  const items = [...intent.items]
    .sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0))
    .map((i) => ({ productId: i.productId, quantity: i.quantity }));
  return JSON.stringify({ items, token: intent.token });
}

/** A Storage-shaped map: the fallback when sessionStorage is unavailable, and the fake in tests. */
export function memoryStorage(): KeyStorage {
  const map = new Map<string, string>();
  return {
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, String(v)),
    removeItem: (k) => void map.delete(k),
    key: (i) => [...map.keys()][i] ?? null,
    get length() {
      return map.size;
    },
  };
}

export type IntentKeyOptions<T> = {
  /** Namespaces the entries, e.g. "checkout.placeOrder". */
  operation: string;
  fingerprint: (intent: T) => string;
  /** Reads back a stored intent; returns null for anything malformed (storage is user-editable). */
  parseIntent: (raw: unknown) => T | null;
  newKey?: () => string;
  now?: () => number;
};

export class IntentKeyStore<T> {
  private readonly prefix: string;
  private readonly newKey: () => string;
  private readonly now: () => number;

  constructor(
    private readonly storage: KeyStorage,
    private readonly options: IntentKeyOptions<T>,
  ) {
    this.prefix = `rsc:intent:${options.operation}:`;
    this.newKey = options.newKey ?? (() => crypto.randomUUID());
    this.now = options.now ?? Date.now;
  }

  /** The key already given to this intent, if it was submitted and its outcome is not final yet. */
  current(intent: T): StoredIntent<T> | null {
    return this.read(this.prefix + this.options.fingerprint(intent));
  }

  /** The intent's key, created (and remembered for this tab) on its first submit. */
  obtain(intent: T): StoredIntent<T> {
    const existing = this.current(intent);
    if (existing) return existing;
    const fingerprint = this.options.fingerprint(intent);
    const entry: StoredIntent<T> = { key: this.newKey(), fingerprint, intent, createdAt: this.now() };
    this.write(this.prefix + fingerprint, entry);
    return entry;
  }

  /** The outcome is final (order placed, declined, refused): the next submit of this intent is a new intent. */
  drop(intent: T): void {
    this.remove(this.prefix + this.options.fingerprint(intent));
  }

  /** Intents submitted in this tab whose outcome is still unknown, newest first (resumed after a reload). */
  unresolved(): StoredIntent<T>[] {
    const found: StoredIntent<T>[] = [];
    for (const name of this.names()) {
      const entry = this.read(name);
      if (entry) found.push(entry);
    }
    return found.sort((a, b) => b.createdAt - a.createdAt);
  }

  private names(): string[] {
    const names: string[] = [];
    try {
      for (let i = 0; i < this.storage.length; i++) {
        const name = this.storage.key(i);
        if (name?.startsWith(this.prefix)) names.push(name);
      }
    } catch {
      // Storage disabled: nothing was remembered.
    }
    return names;
  }

  private read(name: string): StoredIntent<T> | null {
    let raw: string | null;
    try {
      raw = this.storage.getItem(name);
    } catch {
      return null;
    }
    if (raw === null) return null;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return null;
    }
    const entry = storedEntry.safeParse(json);
    if (!entry.success) return null;
    const intent = this.options.parseIntent(entry.data.intent);
    if (intent === null) return null;
    // An entry whose intent does not match its own name was edited by hand: not ours to trust.
    const fingerprint = this.options.fingerprint(intent);
    if (entry.data.fingerprint !== fingerprint || name !== this.prefix + fingerprint) return null;
    return { ...entry.data, intent };
  }

  private write(name: string, entry: StoredIntent<T>): void {
    try {
      this.storage.setItem(name, JSON.stringify(entry));
    } catch {
      // Quota or disabled storage: the key still covers this page's retries, only not a reload.
    }
  }

  private remove(name: string): void {
    try {
      this.storage.removeItem(name);
    } catch {
      // Nothing to clean up in a storage we cannot use.
    }
  }
}

/** Reads a stored checkout intent back, refusing anything that is not exactly its shape. */
export function parseCheckoutIntent(raw: unknown): CheckoutIntent | null {
  const parsed = checkoutIntent.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

export const shortKey = (key: string): string => `${key.slice(0, 8)}…`;
