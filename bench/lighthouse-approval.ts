/**
 * npm run bench:lighthouse: Lighthouse scores of the approval page (/approve/<token>), the page a
 * ChatGPT user lands on to approve and pay.
 *
 * Starts a production build (building it if needed) in oauth mode against the machine's Postgres and a
 * loopback OpenID provider, creates a real approval link through /mcp, signs a browser in as its owner,
 * and runs Lighthouse (the npm package) in Debian's Chromium with that session, once with Lighthouse's
 * default mobile settings (simulated slow 4G and a 4x slower CPU) and once with its desktop settings.
 * Prints the scores and the core metrics; asserts nothing. Target: performance and accessibility >= 95.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { chromium } from "@playwright/test";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import { SCOPES } from "../server/auth/scopes";
import { buildIfNeeded, startNextApp } from "../tests/support/next-app";
import { adminConnection, preparePostgresDatabase } from "../tests/support/postgres";
import { table } from "./report";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const DB_NAME = "stylist_lighthouse";
const USER = "alice";

async function main() {
  const databaseUrl = await preparePostgresDatabase(DB_NAME, 2000);
  buildIfNeeded(process.env.BENCH_BUILD === "1");
  const app = await startNextApp({ databaseUrl });
  try {
    const approvalUrl = await createLink(app.url, await app.idp.tokenFor(USER, { scopes: SCOPES }));
    const cookie = await signedInCookie(approvalUrl);
    const rows: string[][] = [];
    for (const [label, config] of [
      ["mobile (default)", undefined],
      ["desktop", desktopConfig],
    ] as const) {
      const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"] });
      try {
        const result = await lighthouse(
          approvalUrl,
          { port: chrome.port, output: "json", logLevel: "error", onlyCategories: ["performance", "accessibility", "best-practices"], extraHeaders: { cookie } },
          config,
        );
        const lhr = result!.lhr;
        if (!lhr.finalDisplayedUrl.includes("/approve/")) throw new Error(`Lighthouse ended on ${lhr.finalDisplayedUrl}, not the approval page`);
        const score = (id: string) => String(Math.round((lhr.categories[id]?.score ?? 0) * 100));
        const metric = (id: string) => lhr.audits[id]?.displayValue ?? "-";
        rows.push([label, score("performance"), score("accessibility"), score("best-practices"), metric("first-contentful-paint"), metric("largest-contentful-paint"), metric("total-blocking-time"), metric("cumulative-layout-shift")]);
        const failing = Object.values(lhr.categories.accessibility?.auditRefs ?? [])
          .map((ref) => lhr.audits[ref.id])
          .filter((audit) => audit && audit.score !== null && audit.score < 1 && audit.scoreDisplayMode === "binary");
        for (const audit of failing) console.log(`  ${label}: accessibility audit failed: ${audit!.id} (${audit!.title})`);
      } finally {
        chrome.kill();
      }
    }
    const header = ["run", "performance", "accessibility", "best practices", "FCP", "LCP", "TBT", "CLS"];
    console.log(`\nLighthouse ${(await import("lighthouse/package.json", { with: { type: "json" } })).default.version} on ${new URL(approvalUrl).pathname.slice(0, 18)}… (next start, Postgres, Chromium ${CHROMIUM})`);
    console.log(table([header, ...rows]));
  } finally {
    await app.stop();
    const sql = adminConnection();
    await sql.unsafe(`drop database if exists ${DB_NAME} with (force)`);
    await sql.end();
  }
}

/** What ChatGPT does: a basket of three catalog items through /mcp. */
async function createLink(appUrl: string, token: string): Promise<string> {
  const client = new Client({ name: "lighthouse", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${appUrl}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  await client.listTools();
  const found = await client.callTool({ name: "catalog.search", arguments: { q: "linen", limit: 3 } });
  const ids = (found.structuredContent as { items: Array<{ id: string }> }).items.map((i) => i.id);
  const link = await client.callTool({ name: "checkout.createApprovalLink", arguments: { itemIds: ids, notes: "A light linen look for summer.", allowOverBudget: true } });
  await client.close();
  if (link.isError) throw new Error(JSON.stringify(link.content));
  return (link.structuredContent as { approvalUrl: string }).approvalUrl;
}

/** Signs in as the link's owner through the site and the provider; returns the session cookie header. */
async function signedInCookie(approvalUrl: string): Promise<string> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  try {
    const page = await browser.newPage();
    await page.goto(approvalUrl);
    await page.getByRole("link", { name: "Continue to sign in" }).click();
    await page.locator('input[name="login"]').fill(USER);
    await page.locator('input[name="password"]').fill("any-password");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.waitForURL(approvalUrl);
    const cookies = await page.context().cookies(approvalUrl);
    return cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
