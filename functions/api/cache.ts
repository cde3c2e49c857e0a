/**
 * The API's one cache mechanism: answers kept by key for a time read from the injected Clock (never `Date.now()`), at
 * most `max` keys, least recently used out first. A load that fails is forgotten at once (the next request retries).
 * The deployment makes one set (`apiCaches`) and passes it in through the app's deps; tests pass their own to clear.
 */
import type { Clock } from '../ports.ts';

export interface MemoOptions {
  /** How long an answer may be kept (ms); 0: never kept, every call loads; Infinity: until pushed out or cleared. */
  ttlMs: number;
  max: number;
}

export class Memo {
  private readonly entries = new Map<string, { until: number; value: Promise<unknown> }>();
  constructor(private readonly clock: Clock, private readonly options: MemoOptions) {}

  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (this.options.ttlMs <= 0) return load();
    const now = this.clock.now().getTime();
    const hit = this.entries.get(key);
    if (hit && hit.until > now) {
      // Most recently used last: the first key is the one to push out.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value as Promise<T>;
    }
    this.entries.delete(key);
    while (this.entries.size >= this.options.max) this.entries.delete(this.entries.keys().next().value!);
    const value = load();
    const entry = { until: now + this.options.ttlMs, value };
    this.entries.set(key, entry);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }

  /** Whether `key` is held and fresh (an answer says `cached: true`). */
  has(key: string): boolean {
    const hit = this.entries.get(key);
    return !!hit && hit.until > this.clock.now().getTime();
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/** How long the deployment keeps what (ms). Snapshots change once a night; alert lists when acted on here or at night. */
export interface CacheSettings {
  /** Snapshot reads per (screen, scope, as-of): a room of displays costs one store read per screen, not one per request. */
  snapshotCacheMs?: number;
  /** Alert-list answers; an acknowledgement or resolution through this API forgets them at once. */
  alertCacheMs?: number;
}

/** How the local server and the Lambda keep reads. */
export const SERVING_CACHE = { snapshotCacheMs: 15_000, alertCacheMs: 5_000 } as const satisfies CacheSettings;

/** Every cache the API keeps, one Memo each. Explorer answers are keyed by the data's as-of date, so a new night never meets an old answer. */
export interface ApiCaches {
  snapshots: Memo;
  alertLists: Memo;
  /** The newest night in the lake (the explorers' "data as of"), read at most once a minute. */
  newestNight: Memo;
  explore: Memo;
  exploreDetail: Memo;
  names: Memo;
  charges: Memo;
  chargeItems: Memo;
  drg: Memo;
  clear(): void;
}

export function apiCaches(clock: Clock, settings: CacheSettings = {}): ApiCaches {
  const forever = (max: number) => new Memo(clock, { ttlMs: Infinity, max });
  const caches = {
    snapshots: new Memo(clock, { ttlMs: settings.snapshotCacheMs ?? 0, max: 1000 }),
    alertLists: new Memo(clock, { ttlMs: settings.alertCacheMs ?? 0, max: 500 }),
    newestNight: new Memo(clock, { ttlMs: 60_000, max: 1 }),
    explore: forever(64),
    exploreDetail: forever(64),
    names: forever(48),
    charges: forever(64),
    chargeItems: forever(8),
    drg: forever(64),
  };
  return { ...caches, clear: () => Object.values(caches).forEach((m) => m.clear()) };
}
