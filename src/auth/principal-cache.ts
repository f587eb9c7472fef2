// The per-isolate principal cache, in two parts so that misses can never evict hits:
// - hits (known users and keys): up to `maxEntries`, each for `ttlMs`;
// - misses (unknown subjects and keys): a separate, small map, each for `missTtlMs`. A flood of
//   random, well-formed API keys or unknown subjects only ever churns this map; the principals of
//   real callers stay cached. (Each miss still costs one lookup: limiting failed authentications
//   per client address is reportFailedAuthentication's job, see failed-authentication.ts.)
// Both maps drop their oldest entry when full (Maps iterate in insertion order). Pure data, no I/O.

export interface PrincipalCacheOptions {
  maxEntries: number;
  ttlMs: number;
  maxMisses: number;
  missTtlMs: number;
}

export interface PrincipalCache<P> {
  /** The cached principal, null for a cached miss, undefined when nothing (fresh) is cached. */
  get(key: string, now: number): P | null | undefined;
  set(key: string, principal: P | null, now: number): void;
  /** Drops the entries (hits or misses) for which `match` is true. */
  forget(match: (key: string, principal: P | null) => boolean): void;
  clear(): void;
  size(): { entries: number; misses: number };
}

export function createPrincipalCache<P>(options: PrincipalCacheOptions): PrincipalCache<P> {
  const hits = new Map<string, { principal: P; expires: number }>();
  const misses = new Map<string, number>();

  function put<V>(map: Map<string, V>, max: number, key: string, value: V): void {
    map.delete(key); // re-inserting moves the key to the end: it is the newest again
    if (map.size >= max) {
      const oldest = map.keys().next().value;
      if (oldest !== undefined) map.delete(oldest);
    }
    map.set(key, value);
  }

  return {
    get(key, now) {
      const hit = hits.get(key);
      if (hit) {
        if (hit.expires > now) return hit.principal;
        hits.delete(key);
      }
      const missExpires = misses.get(key);
      if (missExpires !== undefined) {
        if (missExpires > now) return null;
        misses.delete(key);
      }
      return undefined;
    },
    set(key, principal, now) {
      if (principal === null) {
        hits.delete(key);
        put(misses, options.maxMisses, key, now + options.missTtlMs);
      } else {
        misses.delete(key);
        put(hits, options.maxEntries, key, { principal, expires: now + options.ttlMs });
      }
    },
    forget(match) {
      for (const [key, entry] of hits) if (match(key, entry.principal)) hits.delete(key);
      for (const key of misses.keys()) if (match(key, null)) misses.delete(key);
    },
    clear() {
      hits.clear();
      misses.clear();
    },
    size: () => ({ entries: hits.size, misses: misses.size }),
  };
}
