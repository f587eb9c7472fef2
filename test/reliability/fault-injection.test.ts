// The fault injector itself, on an Upstash endpoint in front of the in-memory store (quick to
// start; the SQL endpoint shares the code, and its phases are proven against the database in
// dependency-faults.test.ts and crash-under-load.test.ts): the control routes refuse what they do
// not understand and any browser, `count` and `match` select what is struck, `after` runs the
// commands before losing the answer, `hang` holds until cleared.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startUpstashEndpoint, type UpstashEndpoint } from "../../dev/upstash-endpoint/index.js";

let endpoint: UpstashEndpoint;

beforeAll(async () => {
  endpoint = await startUpstashEndpoint();
});
afterAll(async () => {
  await endpoint?.close();
});

const control = (method: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${endpoint.url}/faults`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
  });

/** One Redis command; `null` when the connection was dropped. */
async function command(args: unknown[], signal?: AbortSignal): Promise<{ status: number; body: any } | null> {
  try {
    const res = await fetch(endpoint.url, {
      method: "POST",
      headers: { Authorization: `Bearer ${endpoint.token}`, "content-type": "application/json" },
      body: JSON.stringify(args),
      ...(signal ? { signal } : {}),
    });
    return { status: res.status, body: await res.json() };
  } catch (err) {
    if ((err as Error).name === "TimeoutError" || (err as Error).name === "AbortError") throw err;
    return null;
  }
}

describe("fault injection", () => {
  it("refuses malformed faults (400) and browsers (403)", async () => {
    for (const bad of [
      "not json",
      [],
      { kind: "explode" },
      { kind: "status", status: 200 },
      { kind: "latency", ms: -1 },
      { kind: "drop", phase: "during" }, // no transactions across requests here
      { kind: "drop", count: 0 },
      { kind: "drop", count: 1, untilCleared: true },
      { kind: "drop", match: { body: "x" } },
      { kind: "drop", match: { contains: 3 } },
    ]) {
      const res = await control("POST", bad);
      expect({ bad, status: res.status }).toEqual({ bad, status: 400 });
    }
    expect((await control("POST", { kind: "drop" }, { Origin: "https://evil.test" })).status).toBe(403);
    expect((await control("DELETE", undefined, { Origin: "https://evil.test" })).status).toBe(403);
    expect((await control("PUT", {})).status).toBe(405);
    expect(((await (await control("GET")).json()) as { faults: unknown[] }).faults).toEqual([]);
  });

  it("strikes only matching requests, `count` times, and lists its hits", async () => {
    const res = await control("POST", { kind: "status", status: 502, count: 2, match: { contains: "fi-struck" } });
    expect(res.status).toBe(201);
    const { fault } = (await res.json()) as { fault: { id: number } };
    expect(await command(["SET", "fi-spared", "1"])).toEqual({ status: 200, body: { result: "OK" } });
    expect((await command(["SET", "fi-struck", "1"]))?.status).toBe(502);
    expect((await command(["SET", "fi-struck", "2"]))?.status).toBe(502);
    expect(await command(["SET", "fi-struck", "3"])).toEqual({ status: 200, body: { result: "OK" } });
    const listed = ((await (await control("GET")).json()) as { faults: { id: number; hits: number; remaining: number }[] }).faults;
    expect(listed).toEqual([expect.objectContaining({ id: fault.id, hits: 2, remaining: 0 })]);
    expect(await (await control("DELETE")).json()).toEqual({ cleared: 1 });
  });

  it("`after` runs the command and then drops the answer; `before` does not run it", async () => {
    await control("POST", { kind: "drop", phase: "after", count: 1 });
    expect(await command(["SET", "fi-after", "written"])).toBeNull();
    expect((await command(["GET", "fi-after"]))?.body).toEqual({ result: "written" });
    await control("POST", { kind: "drop", count: 1 });
    expect(await command(["SET", "fi-before", "written"])).toBeNull();
    expect((await command(["GET", "fi-before"]))?.body).toEqual({ result: null });
    await control("DELETE");
  });

  it("`latency` delays and then answers; `hang` holds until the faults are cleared", async () => {
    await control("POST", { kind: "latency", ms: 300, count: 1 });
    const started = performance.now();
    expect((await command(["PING"]))?.body).toEqual({ result: "PONG" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);

    await control("POST", { kind: "hang" });
    const held = command(["PING"]);
    await expect(command(["PING"], AbortSignal.timeout(300))).rejects.toThrow();
    await control("DELETE");
    expect(await held).toBeNull(); // let go: the connection is closed without an answer
    expect((await command(["PING"]))?.body).toEqual({ result: "PONG" });
  });
});
