// /docs in a real browser (headless Chromium, Debian's package, driven by playwright-core — no
// browser download): the reference renders and lists the API's operations, every request the page
// makes stays on this service (127.0.0.1), and the page's Content-Security-Policy blocks nothing it
// needs (no CSP violation reported in the console or as a securitypolicyviolation event).
import { existsSync, readFileSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOCS_SCRIPT_PATH } from "../../src/routes/docs/index.js";
import { apiUrl, call } from "../support/api.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

interface Violation {
  directive: string;
  blocked: string;
  source: string;
  line: number;
  column: number;
}

/**
 * The one violation the page is allowed: Zod 4 (inside the Scalar bundle) probes whether it may
 * compile validators with `try { Function(""); return true } catch { return false }` and, refused by
 * script-src (no 'unsafe-eval', deliberately), falls back to its interpreter. Nothing breaks; the
 * probe is recognised by its exact location in the vendored bundle, so any other eval still fails.
 */
function isZodEvalProbe(v: Violation): boolean {
  if (v.directive !== "script-src" || v.blocked !== "eval" || !v.source.endsWith(DOCS_SCRIPT_PATH)) return false;
  const line = readFileSync(new URL(`../../public${DOCS_SCRIPT_PATH}`, import.meta.url), "utf8").split("\n")[v.line - 1] ?? "";
  return line.slice(Math.max(0, v.column - 40), v.column + 40).includes("try{return Function(``),!0}catch{return!1}");
}
let browser: Browser | undefined;

// CI (.ci/run sets REQUIRE_BROWSER=1 and installs Chromium) always runs this file and fails without a
// browser; on a laptop with only Node (`npm test` must work there) it runs when Chromium is present.
const RUN = existsSync(CHROMIUM) || process.env.REQUIRE_BROWSER === "1";

beforeAll(async () => {
  if (!RUN) return;
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: the /docs browser test needs it. Install it with ` +
        "`apt-get update && apt-get install -y chromium` (or set CHROMIUM_PATH); .ci/run does this for CI.",
    );
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

afterAll(async () => {
  await browser?.close();
});

describe.runIf(RUN)("GET /docs in headless Chromium", () => {
  it("renders the reference with the API's operations, offline and within its CSP", { timeout: 90_000 }, async () => {
    const page = await browser!.newPage();
    const requests: string[] = [];
    const violations: string[] = [];
    page.on("request", (req) => requests.push(req.url()));
    page.on("console", (msg) => {
      const text = msg.text();
      if (/^Content Security Policy violation: /.test(text)) {
        const v = JSON.parse(text.slice(text.indexOf("{"))) as Violation;
        if (!isZodEvalProbe(v)) violations.push(text);
      } else if (/content security policy|refused to/i.test(text) && !/'unsafe-eval'/.test(text)) {
        // Chromium's own console line for the same probe names 'unsafe-eval'; the event above judges it.
        violations.push(text);
      }
    });
    page.on("pageerror", (err) => violations.push(`page error: ${err.message}`));
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) => {
        console.error(
          `Content Security Policy violation: ${JSON.stringify({ directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber, column: e.columnNumber })}`,
        );
      });
    });

    const res = await page.goto(apiUrl("/docs"), { waitUntil: "load" });
    expect(res?.status()).toBe(200);
    expect(res?.headers()["content-security-policy"]).toBeTruthy();

    // The sidebar has a group per documented tag; opened, each lists its operations by summary.
    const doc = (await call("/openapi.json")).body as {
      paths: Record<string, Record<string, { summary?: string; tags?: string[] }>>;
    };
    const groups = page.getByRole("button", { name: /^Open Group - / });
    await groups.first().waitFor({ state: "visible", timeout: 60_000 });
    // Scalar shows the tags that have operations.
    const tagNames = [...new Set(Object.values(doc.paths).flatMap((ops) => Object.values(ops).flatMap((op) => op.tags ?? [])))];
    const groupNames = (
      await page
        .getByRole("button", { name: /^(Open|Close) Group - / })
        .evaluateAll((els) => els.map((e) => e.getAttribute("aria-label") ?? e.textContent ?? ""))
    ).map((label) => label.replace(/^(Open|Close) Group - /, "").trim());
    for (const tag of tagNames) expect(groupNames, `sidebar group for tag ${tag} `).toContain(tag);
    while ((await groups.count()) > 0) await groups.first().click();

    const summaries = Object.entries(doc.paths)
      .filter(([path]) => path !== "/docs" && path !== "/openapi.json")
      .flatMap(([, ops]) => Object.values(ops).map((op) => op.summary))
      .filter((s): s is string => Boolean(s));
    expect(summaries.length).toBeGreaterThan(10);
    await page
      .getByText(summaries[summaries.length - 1]!, { exact: false })
      .first()
      .waitFor({ state: "attached", timeout: 60_000 });
    const text = await page.evaluate(() => document.body.innerText);
    const missing = summaries.filter((s) => !text.includes(s));
    expect(missing, `operations not listed (of ${summaries.length})`).toEqual([]);

    const foreign = requests.filter((u) => {
      const url = new URL(u);
      return !["data:", "blob:", "about:"].includes(url.protocol) && url.hostname !== "127.0.0.1";
    });
    expect(foreign, "requests leaving this service").toEqual([]);
    expect(requests.some((u) => u.endsWith("/openapi.json"))).toBe(true);
    expect(violations, "CSP violations and page errors").toEqual([]);
    await page.close();
  });
});
