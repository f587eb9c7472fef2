// What the official client never sends, by hand: encodings, bad requests, status codes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UpstashEndpoint } from "../../dev/upstash-endpoint/index.js";
import { deleteKeys, post, STORES, uniquePrefix } from "./harness.js";

describe.each(STORES)("protocol on the $name store", (store) => {
  let ep: UpstashEndpoint;
  let auth: Record<string, string>;
  const p = uniquePrefix(`proto-${store.name}`);
  beforeAll(async () => {
    ep = await store.start();
    auth = { Authorization: `Bearer ${ep.token}` };
  });
  afterAll(async () => {
    await ep?.close();
    await deleteKeys(store.name === "redis" ? process.env.TEST_REDIS_URL : undefined, p);
  });

  it("answers strings in clear without Upstash-Encoding and base64 with it, except OK", async () => {
    expect((await post(ep.url, ["SET", `${p}k`, "é✓"], auth)).json()).toEqual({ result: "OK" });
    expect((await post(ep.url, ["GET", `${p}k`], auth)).json()).toEqual({ result: "é✓" });
    const b64 = { ...auth, "Upstash-Encoding": "base64" };
    expect((await post(ep.url, ["GET", `${p}k`], b64)).json()).toEqual({ result: Buffer.from("é✓").toString("base64") });
    expect((await post(ep.url, ["SET", `${p}k`, 5], b64)).json()).toEqual({ result: "OK" });
    expect((await post(ep.url, ["INCR", `${p}k`], b64)).json()).toEqual({ result: 6 });
    expect(
      (
        await post(
          `${ep.url}/pipeline`,
          [
            ["GET", `${p}none`],
            ["MGET", `${p}k`, `${p}none`],
          ],
          b64,
        )
      ).json(),
    ).toEqual([{ result: null }, { result: [Buffer.from("6").toString("base64"), null] }]);
  });

  it("answers a failed single command 400 {error} and a bad request 400", async () => {
    const r = await post(ep.url, ["NOSUCHCMD", "a"], auth);
    expect(r.status).toBe(400);
    expect(r.json().error).toMatch(/^ERR unknown command 'NOSUCHCMD'/);
    expect((await post(ep.url, ["GET"], auth)).json().error).toBe("ERR wrong number of arguments for 'get' command");
    expect((await post(ep.url, "not json", auth)).status).toBe(400);
    expect((await post(ep.url, [], auth)).status).toBe(400);
    expect((await post(`${ep.url}/pipeline`, [["GET", "a"], "x"], auth)).status).toBe(400);
  });

  it("aborts a multi-exec whose command is refused while queueing", async () => {
    const r = await post(`${ep.url}/multi-exec`, [["SET", `${p}t`, "1"], ["GET"]], auth);
    expect(r.status).toBe(400);
    expect(r.json().error).toMatch(/^EXECABORT/);
    expect((await post(ep.url, ["EXISTS", `${p}t`], auth)).json()).toEqual({ result: 0 });
  });

  it("answers 401 without the token, 405 to other methods, 404 elsewhere", async () => {
    for (const headers of [{}, { Authorization: "Bearer nope" }, { Authorization: ep.token }] as Record<string, string>[]) {
      const r = await post(ep.url, ["PING"], headers);
      expect(r.status).toBe(401);
      expect(r.json()).toEqual({ error: "WRONGPASS invalid or missing auth token" });
    }
    expect((await fetch(ep.url, { headers: auth })).status).toBe(405);
    expect((await post(`${ep.url}/nope`, ["PING"], auth)).status).toBe(404);
    expect((await (await fetch(`${ep.url}/health`)).json()).status).toBe("ok");
  });
});

it("starts with a Redis that is down and answers 500 until it is back", async () => {
  const ep = await (await import("../../dev/upstash-endpoint/index.js")).startUpstashEndpoint({ redisUrl: "redis://127.0.0.1:1/0" });
  try {
    expect(ep.connected).toBe(false);
    const r = await post(ep.url, ["PING"], { Authorization: `Bearer ${ep.token}` });
    expect(r.status).toBe(500);
    expect(r.json().error).toMatch(/^ERR /);
  } finally {
    await ep.close();
  }
});
