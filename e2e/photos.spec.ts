import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { expect, test } from "@playwright/test";
import { unzipSync } from "fflate";
import { readFile } from "node:fs/promises";
import { photoFixtures } from "../tests/support/photos";
import { appUrl, machineToken, signIn } from "./support";

/**
 * The data controls as a user meets them: grant consent, upload a full-body photo on the portal, see it
 * approved (by the real pose model on the server), see a cropped one rejected with its reason, render an
 * item on it (asked through /mcp as ChatGPT would, rendered by the app's own worker), see the result,
 * export everything, delete the photos, withdraw consent, find the changes in the history, and delete
 * everything.
 */
test("consent, upload, approval, deletion and withdrawal on the site", async ({ page }) => {
  const fixtures = await photoFixtures();
  await signIn(page, "erin");

  await page.goto(`${appUrl()}/consent`);
  await expect(page.getByRole("heading", { name: "Processing your photos" })).toBeVisible();
  await expect(page.getByTestId("consent-state-photo_processing")).toHaveText("Not granted");
  await page.getByRole("region", { name: "Processing your photos" }).getByRole("button", { name: "I agree: grant consent" }).click();
  await expect(page.getByTestId("consent-state-photo_processing")).toContainText("Granted on this site");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Photos" }).click();
  await expect(page.getByRole("heading", { name: "Your photos", level: 1 })).toBeVisible();
  await page.getByLabel("Choose photos to upload").setInputFiles([
    { name: "me.jpg", mimeType: "image/jpeg", buffer: fixtures.fullBody },
    { name: "knees.jpg", mimeType: "image/jpeg", buffer: fixtures.kneesUp },
  ]);
  await expect(page.getByRole("status").filter({ hasText: "1 of 2 photos approved." })).toBeVisible({ timeout: 20_000 });
  const approved = page.locator(".photo.approved");
  await expect(approved).toHaveCount(1);
  await expect(approved.getByText("Primary photo for try-on")).toBeVisible();
  const img = approved.locator("img");
  await expect(img).toBeVisible();
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
  await expect(page.locator(".photo.rejected")).toContainText("ankle is not in the frame");

  // ChatGPT asks for a try-on of the approved set; the app's in-process worker renders it.
  await page.goto(`${appUrl()}/consent`);
  await page.getByRole("region", { name: "Virtual try-on" }).getByRole("button", { name: "I agree: grant consent" }).click();
  await expect(page.getByTestId("consent-state-tryon")).toContainText("Granted");
  const client = new Client({ name: "e2e-chatgpt", version: "1.0.0" });
  const token = await machineToken("erin", "tryon:write tryon:read photos:write catalog:read");
  await client.connect(new StreamableHTTPClientTransport(new URL(`${appUrl()}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  await client.listTools();
  const searched = await client.callTool({ name: "catalog.search", arguments: { q: "shirt", limit: 1 } });
  const found = searched.structuredContent as { items: Array<{ id: string }> };
  expect(found, JSON.stringify(searched).slice(0, 500)).toBeDefined();
  const photoSetId = await page.evaluate(async () => {
    const r = await fetch("/api/trpc/photos.list?input=" + encodeURIComponent(JSON.stringify({})));
    return ((await r.json()) as { result: { data: { sets: Array<{ photoSetId: string }> } } }).result.data.sets[0]!.photoSetId;
  });
  const job = (await client.callTool({ name: "tryon.renderItemOnUser", arguments: { itemId: found.items[0]!.id, photoSetId } })).structuredContent as { jobId: string };
  await expect
    .poll(async () => ((await client.callTool({ name: "tryon.getJobStatus", arguments: { jobId: job.jobId } })).structuredContent as { status: string }).status, { timeout: 20_000 })
    .toBe("succeeded");

  // The result as ChatGPT renders it: the tool's widget with window.openai, before and after side by side.
  const { tools } = await client.listTools();
  const template = (tools.find((t) => t.name === "tryon.getJobStatus")!._meta as { ui: { resourceUri: string } }).ui.resourceUri;
  const html = ((await client.readResource({ uri: template })).contents[0] as { text: string }).text;
  const statusResult = await client.callTool({ name: "tryon.getJobStatus", arguments: { jobId: job.jobId } });
  await client.close();
  const host = await page.context().newPage();
  await host.addInitScript((output) => {
    (window as unknown as { openai: unknown }).openai = { toolOutput: output, toolResponseMetadata: null };
  }, statusResult.structuredContent);
  await host.goto(`${appUrl()}/api/health`);
  await host.setContent(html);
  await expect(host.getByRole("img", { name: "Your photo, before" })).toBeVisible();
  const afterImage = host.getByRole("img", { name: "Your photo wearing the chosen pieces" });
  await expect.poll(() => afterImage.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
  await host.screenshot({ path: "test-results/widget-tryon.png" });
  await host.close();

  await page.goto(`${appUrl()}/photos`);
  const render = page.getByRole("list", { name: "Your try-ons" }).locator("img");
  await expect(render).toBeVisible();
  await expect.poll(() => render.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
  await page.screenshot({ path: "test-results/photos-portal.png", fullPage: true });

  // Export everything: one ZIP with the records and the files.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export everything" }).click()]);
  const archive = unzipSync(new Uint8Array(await readFile((await download.path())!)));
  expect(Object.keys(archive)).toEqual(expect.arrayContaining(["photos.json", "consents.json", "tryons.json"]));
  expect(Object.keys(archive).filter((n) => n.endsWith(".jpg"))).toHaveLength(2);

  await page.getByRole("button", { name: "Delete this set" }).click();
  await expect(page.getByText("You have no photos with us.")).toBeVisible();
  await expect(page.getByText(/No try-ons yet/)).toBeVisible();

  await page.goto(`${appUrl()}/consent`);
  await page.getByRole("region", { name: "Processing your photos" }).getByRole("button", { name: "Withdraw consent" }).click();
  await expect(page.getByTestId("consent-state-photo_processing")).toContainText("Withdrawn");
  const history = page.getByRole("region", { name: "History" }).getByRole("row");
  await expect(history).toHaveCount(4);
  await expect(history.nth(1)).toContainText("Withdrawn");
  await expect(history.nth(2)).toContainText("Granted");
  await page.screenshot({ path: "test-results/consent.png", fullPage: true });

  // Without consent the portal asks for it before any upload.
  await page.goto(`${appUrl()}/photos`);
  await expect(page.getByLabel("Choose photos to upload")).toBeDisabled();

  // Delete everything: the history goes too.
  await page.getByLabel(/type “delete everything”/).fill("delete everything");
  await page.getByRole("button", { name: "Delete everything" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Everything is deleted" })).toBeVisible();
  await page.goto(`${appUrl()}/consent`);
  await expect(page.getByText("No consent given or withdrawn yet.")).toBeVisible();
});
