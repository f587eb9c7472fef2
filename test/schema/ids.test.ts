// Application-generated primary keys (the schema's $defaultFn for every id column).
import { describe, expect, it } from "vitest";
import { ID_LENGTH, newId } from "../../drizzle/ids.js";

describe("newId", () => {
  it("is a lowercase letter followed by base36, at least 24 characters", () => {
    const id = newId();
    expect(id).toMatch(/^[a-z][0-9a-z]{23,}$/);
    expect(id).toHaveLength(ID_LENGTH);
  });

  it("does not repeat across many calls in the same millisecond", () => {
    const ids = new Set(Array.from({ length: 20_000 }, () => newId()));
    expect(ids.size).toBe(20_000);
  });

  it("starts with the creation time, so later ids sort after earlier ones", async () => {
    const earlier = newId();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(newId() > earlier).toBe(true);
  });
});
