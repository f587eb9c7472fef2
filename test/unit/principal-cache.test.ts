// The principal cache keeps misses (unknown subjects and API keys) apart from hits, so a flood of
// unknown credentials cannot push real callers' principals out (issue 6, item 11).
import { describe, expect, it } from "vitest";
import { createPrincipalCache } from "../../src/auth/principal-cache.js";
import { PRINCIPAL_CACHE_OPTIONS } from "../../src/auth/principal.js";

const T0 = 1_800_000_000_000;

describe("principal cache", () => {
  it("keeps every hit through a flood of misses larger than the whole cache (the real configuration)", () => {
    const cache = createPrincipalCache<{ id: string }>(PRINCIPAL_CACHE_OPTIONS);
    const valid = Array.from({ length: 100 }, (_, i) => `key:valid-${i}`);
    for (const key of valid) cache.set(key, { id: key }, T0);
    for (let i = 0; i < PRINCIPAL_CACHE_OPTIONS.maxEntries * 3; i++) cache.set(`key:random-${i}`, null, T0 + 1);
    for (const key of valid) expect(cache.get(key, T0 + 2)).toEqual({ id: key });
    expect(cache.size()).toEqual({ entries: 100, misses: PRINCIPAL_CACHE_OPTIONS.maxMisses });
    // The newest misses are still remembered (no repeat lookup for them); the oldest were dropped.
    expect(cache.get(`key:random-${PRINCIPAL_CACHE_OPTIONS.maxEntries * 3 - 1}`, T0 + 2)).toBeNull();
    expect(cache.get("key:random-0", T0 + 2)).toBeUndefined();
  });

  it("expires hits and misses after their own TTLs", () => {
    const cache = createPrincipalCache<string>({ maxEntries: 10, ttlMs: 1000, maxMisses: 10, missTtlMs: 100 });
    cache.set("hit", "p", T0);
    cache.set("miss", null, T0);
    expect(cache.get("miss", T0 + 99)).toBeNull();
    expect(cache.get("miss", T0 + 100)).toBeUndefined();
    expect(cache.get("hit", T0 + 999)).toBe("p");
    expect(cache.get("hit", T0 + 1000)).toBeUndefined();
  });

  it("evicts the oldest hit only when hits themselves overflow", () => {
    const cache = createPrincipalCache<string>({ maxEntries: 2, ttlMs: 1000, maxMisses: 1, missTtlMs: 100 });
    cache.set("a", "A", T0);
    cache.set("b", "B", T0);
    cache.set("x", null, T0);
    cache.set("y", null, T0);
    expect([cache.get("a", T0), cache.get("b", T0)]).toEqual(["A", "B"]);
    cache.set("c", "C", T0);
    expect([cache.get("a", T0), cache.get("b", T0), cache.get("c", T0)]).toEqual([undefined, "B", "C"]);
  });

  it("a principal found later replaces the cached miss, and forget drops misses too", () => {
    const cache = createPrincipalCache<string>({ maxEntries: 2, ttlMs: 1000, maxMisses: 2, missTtlMs: 100 });
    cache.set("sub:new", null, T0);
    cache.set("sub:new", "linked", T0 + 1);
    expect(cache.get("sub:new", T0 + 2)).toBe("linked");
    cache.set("sub:other", null, T0);
    cache.forget((key) => key === "sub:other");
    expect(cache.get("sub:other", T0 + 1)).toBeUndefined();
    expect(cache.size()).toEqual({ entries: 1, misses: 0 });
  });
});
