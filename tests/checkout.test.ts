import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { listAuditEventsForUser } from "@/db/repos/audit";
import { rowsOf } from "@/db/repos/rows";
import { AppError } from "@/server/errors";
import { registry } from "@/server/procedures";
import { runProcedure } from "@/server/run-procedure";
import { deliver, itemsInStock, siteContext, tokenOfLink } from "./support/checkout";
import { useTestApp } from "./support/fixture";
import { callOk, callTool } from "./support/mcp";

const fixture = useTestApp();

interface Link {
  approvalId: string;
  approvalUrl: string;
  status: string;
  expiresAt: string;
  total: { amountMinor: number; formatted: string };
  items: Array<{ itemId: string; size: string | null; quantity: number }>;
  sizesToChoose: number;
  budget: { overBudget: boolean; remainingAfter: { amountMinor: number } } | null;
}

const db = () => fixture.database.db;

/** One fresh person of the test identity provider per label, so cases never share budgets or orders. */
const people = new Map<string, string>();
function u(label: string): string {
  if (!people.has(label)) people.set(label, `shopper-${String(people.size + 1).padStart(2, "0")}`);
  return people.get(label)!;
}

async function newLink(user: string, itemIds: string[], extra: Record<string, unknown> = {}): Promise<Link> {
  const client = await fixture.app.mcpClient(user);
  return callOk<Link>(client, "checkout.createApprovalLink", { itemIds, ...extra });
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

async function approvalRow(id: string) {
  return rowsOf<Record<string, unknown>>(await db().execute(sql`select * from approvals where id = ${id}`))[0]!;
}

/** Approves on the site as `user` with the total the page showed, returning Stripe's page. */
async function approve(user: string, link: Link, extra: { sizes?: Record<string, string>; expectedTotalMinor?: number } = {}) {
  const review = await runProcedure(registry.approvals.review, siteContext(fixture.app, user), { token: tokenOfLink(link.approvalUrl) });
  const sizes = Object.fromEntries(review.lines.map((l) => [l.itemId, l.size ?? l.sizeOptions[0]!]));
  return runProcedure(registry.approvals.approve, siteContext(fixture.app, user), {
    approvalId: link.approvalId,
    sizes: extra.sizes ?? sizes,
    expectedTotalMinor: extra.expectedTotalMinor ?? review.currentTotal.amountMinor,
  });
}

async function auditsOf(approvalId: string) {
  return rowsOf<{ event_type: string; actor_kind: string; to: string | null }>(
    await db().execute(sql`select event_type, actor_kind, payload->>'to' as "to" from audit_events where entity_id = ${approvalId} order by occurred_at`),
  );
}

function sessionIdOf(checkoutUrl: string): string {
  return checkoutUrl.split("/pay/test/")[1]!;
}

describe("checkout.createApprovalLink", () => {
  it("returns a deep link whose token is stored only as its hash, and audits it", async () => {
    const [a, b] = await itemsInStock(db(), 2);
    const link = await newLink(u("chk-alice"), [a!.id, b!.id, a!.id], { notes: "For the trip" });
    expect(link.approvalUrl).toMatch(new RegExp(`^${fixture.app.url}/approve/[A-Za-z0-9_-]{43}$`));
    expect(link.status).toBe("pending_approval");
    expect(link.items.find((i) => i.itemId === a!.id)?.quantity).toBe(2);
    expect(link.total.amountMinor).toBe(2 * a!.priceMinor + b!.priceMinor);
    const hours = (Date.parse(link.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);

    const token = tokenOfLink(link.approvalUrl);
    const row = await approvalRow(link.approvalId);
    expect(row.token_hash).toBe(createHash("sha256").update(token).digest("hex"));
    const everything = rowsOf<{ dump: string }>(
      await db().execute(sql`select (select coalesce(json_agg(a)::text, '') from approvals a) || (select coalesce(json_agg(i)::text, '') from idempotency_keys i) || (select coalesce(json_agg(e)::text, '') from audit_events e) as dump`),
    )[0]!.dump;
    expect(everything).not.toContain(token);
    const events = await listAuditEventsForUser(db(), u("chk-alice"));
    expect(events.find((e) => e.eventType === "approval.created")?.entityId).toBe(link.approvalId);
  });

  it("an idempotent retry returns the same link, and the stored response holds no token", async () => {
    const [a] = await itemsInStock(db(), 1);
    const first = await newLink(u("chk-idem"), [a!.id], { idempotencyKey: "basket-0001" });
    const again = await newLink(u("chk-idem"), [a!.id], { idempotencyKey: "basket-0001" });
    expect(again.approvalUrl).toBe(first.approvalUrl);
    expect(again.approvalId).toBe(first.approvalId);
    const stored = rowsOf<{ response: unknown }>(await db().execute(sql`select response from idempotency_keys where user_id = ${u("chk-idem")}`));
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored[0]!.response)).not.toContain(tokenOfLink(first.approvalUrl));
    const count = rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from approvals where user_id = ${u("chk-idem")}`))[0]!.n;
    expect(count).toBe(1);
  });

  it("refuses a basket over the monthly budget, counting this month's other orders, unless allowed", async () => {
    const [a, b] = await itemsInStock(db(), 2, "outerwear");
    const client = await fixture.app.mcpClient(u("chk-budget"));
    const budget = (a!.priceMinor + b!.priceMinor / 2) / 100;
    await callOk(client, "profile.upsertBudgetAndGoals", { monthlyBudget: budget, goals: [], styleTags: [] });
    const first = await callOk<Link>(client, "checkout.createApprovalLink", { itemIds: [a!.id] });
    expect(first.budget?.overBudget).toBe(false);
    const over = await callTool(client, "checkout.createApprovalLink", { itemIds: [b!.id] });
    expect(over.isError).toBe(true);
    expect(over.error?.code).toBe("budget_exceeded");
    expect(over.error?.message).toContain("over the monthly budget");
    expect(over.error?.message).toContain(`$${(a!.priceMinor / 100).toFixed(2)}`);
    const allowed = await callOk<Link>(client, "checkout.createApprovalLink", { itemIds: [b!.id], allowOverBudget: true });
    expect(allowed.budget?.overBudget).toBe(true);
    expect(allowed.budget!.remainingAfter.amountMinor).toBeLessThan(0);
  });

  it("names unknown and out-of-stock items and creates nothing", async () => {
    const [a, gone] = await itemsInStock(db(), 2, "shoes");
    const unknown = await callTool(await fixture.app.mcpClient(u("chk-missing")), "checkout.createApprovalLink", { itemIds: [a!.id, "prd_nope"] });
    expect(unknown.error?.code).toBe("not_found");
    expect(unknown.error?.message).toContain("prd_nope");
    await db().execute(sql`update products set sizes_in_stock = '{}' where id = ${gone!.id}`);
    const soldOut = await callTool(await fixture.app.mcpClient(u("chk-missing")), "checkout.createApprovalLink", { itemIds: [a!.id, gone!.id] });
    expect(soldOut.error?.code).toBe("validation");
    expect(soldOut.error?.issues).toEqual([{ field: "itemIds.1", message: `${gone!.id} is out of stock` }]);
    const count = rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from approvals where user_id = ${u("chk-missing")}`))[0]!.n;
    expect(count).toBe(0);
  });

  it("takes sizes from the profile when it knows them and leaves the rest to the page", async () => {
    const [top] = await itemsInStock(db(), 1, "tops");
    const [jeans] = await itemsInStock(db(), 1, "bottoms");
    const client = await fixture.app.mcpClient(u("chk-sizes"));
    await callOk(client, "profile.upsertSizes", { sizes: { top: top!.sizes[0]!.toLowerCase() } });
    const link = await callOk<Link>(client, "checkout.createApprovalLink", { itemIds: [top!.id, jeans!.id] });
    expect(link.items.find((i) => i.itemId === top!.id)?.size).toBe(top!.sizes[0]);
    expect(link.items.find((i) => i.itemId === jeans!.id)?.size).toBeNull();
    expect(link.sizesToChoose).toBe(1);
  });

  it.each([
    ["scheme-relative", "//evil.example/done"],
    ["javascript:", "javascript:alert(1)"],
    ["data:", "data:text/html,<script>alert(1)</script>"],
    ["another host", "https://evil.example/done"],
    ["user-info trick", "APP@evil.example/done"],
    ["backslash", "https:\\\\evil.example/done"],
    ["backslash after host", "APP\\@evil.example/"],
    ["relative path", "/orders"],
  ])("refuses a %s redirect with a validation error naming the field", async (_label, raw) => {
    const value = raw.replace("APP", fixture.app.url);
    const [a] = await itemsInStock(db(), 1);
    const client = await fixture.app.mcpClient(u("chk-redirects"));
    for (const field of ["successUrl", "cancelUrl"]) {
      const outcome = await callTool(client, "checkout.createApprovalLink", { itemIds: [a!.id], [field]: value });
      expect(outcome.error?.code).toBe("validation");
      expect(outcome.error?.issues?.map((i) => i.field)).toEqual([field]);
    }
    const count = rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from approvals where user_id = ${u("chk-redirects")}`))[0]!.n;
    expect(count).toBe(0);
  });

  it("accepts redirects on the app's own origin", async () => {
    const [a] = await itemsInStock(db(), 1);
    const link = await newLink(u("chk-own-redirect"), [a!.id], { successUrl: `${fixture.app.url}/thanks`, cancelUrl: `${fixture.app.url}/catalog` });
    const { checkoutUrl } = await approve(u("chk-own-redirect"), link);
    const session = fixture.app.stripe.sessions.get(sessionIdOf(checkoutUrl))!;
    expect(session.success_url).toBe(`${fixture.app.url}/thanks`);
    expect(session.cancel_url).toBe(`${fixture.app.url}/catalog`);
  });
});

describe("orders.getApprovalStatus", () => {
  it("answers the owner, and the same not_found for someone else's, a malformed and an unknown token; every check is audited without the token", async () => {
    const [a] = await itemsInStock(db(), 1);
    const link = await newLink(u("chk-owner"), [a!.id]);
    const token = tokenOfLink(link.approvalUrl);
    const owner = await fixture.app.mcpClient(u("chk-owner"));
    const status = await callOk<{ status: string; total: { amountMinor: number } }>(owner, "orders.getApprovalStatus", { token });
    expect(status.status).toBe("pending_approval");
    expect(status.total.amountMinor).toBe(a!.priceMinor);
    const byLink = await callOk<{ approvalId: string }>(owner, "orders.getApprovalStatus", { token: link.approvalUrl });
    expect(byLink.approvalId).toBe(link.approvalId);

    const stranger = await fixture.app.mcpClient(u("chk-stranger"));
    const answers = await Promise.all(
      [token, "not-a-token", "A".repeat(43)].map((t) => callTool(stranger, "orders.getApprovalStatus", { token: t })),
    );
    for (const answer of answers) {
      expect(answer.error?.code).toBe("not_found");
      expect(answer.error?.message).toBe(answers[0]!.error?.message);
    }
    const audits = await listAuditEventsForUser(db(), u("chk-stranger"));
    expect(audits.filter((e) => e.eventType === "approval.status_checked")).toHaveLength(3);
    expect(JSON.stringify(audits)).not.toContain(token);
  });

  it("needs orders:write", async () => {
    const client = await fixture.app.mcpClient(u("chk-scope"), ["catalog:read"]);
    const outcome = await callTool(client, "orders.getApprovalStatus", { token: "x".repeat(43) });
    expect(outcome.error?.code).toBe("insufficient_scope");
  });
});

describe("approving on the site", () => {
  it("builds the Stripe Checkout Session from the snapshot, and a double click makes one session", async () => {
    const [a, b] = await itemsInStock(db(), 2);
    const client = await fixture.app.mcpClient(u("chk-pay"));
    await callOk(client, "profile.setAddress", { address: { line1: "1 Main St", city: "Springfield", state: "IL", postalCode: "62701", country: "us" } });
    const link = await newLink(u("chk-pay"), [a!.id, b!.id]);
    const before = fixture.app.stripe.sessions.size;
    const [one, two] = await Promise.all([approve(u("chk-pay"), link), approve(u("chk-pay"), link)]);
    expect(one.checkoutUrl).toBe(two.checkoutUrl);
    expect(fixture.app.stripe.sessions.size).toBe(before + 1);
    const session = fixture.app.stripe.sessions.get(sessionIdOf(one.checkoutUrl))!;
    expect(session.amount_total).toBe(link.total.amountMinor);
    expect(session.currency).toBe("usd");
    expect(session.client_reference_id).toBe(link.approvalId);
    // Choosing the sizes on the page made version 2 of the snapshot: Stripe gets that version.
    expect(session.metadata).toMatchObject({ approvalId: link.approvalId, version: String((await approvalRow(link.approvalId)).version) });
    expect(session.customer_email).toBe(`${u("chk-pay")}@example.com`);
    expect(session.expires_at).toBeLessThanOrEqual(Math.floor(Date.parse(link.expiresAt) / 1000));
    const creates = fixture.app.stripe.requests.filter((r) => r.path === "/v1/checkout/sessions" && r.idempotencyKey?.startsWith(`approval-${link.approvalId}-v`));
    expect(creates.length).toBeGreaterThanOrEqual(1);
    expect((await approvalRow(link.approvalId)).status).toBe("approved");
    const third = await approve(u("chk-pay"), link);
    expect(third.checkoutUrl).toBe(one.checkoutUrl);
  });

  it("a price change between link and approval blocks approval until the user accepts the new total", async () => {
    const [a] = await itemsInStock(db(), 1, "dresses");
    const link = await newLink(u("chk-price"), [a!.id]);
    const newPrice = a!.priceMinor + 1234;
    await db().execute(sql`update products set price_minor = ${newPrice} where id = ${a!.id}`);
    const review = await runProcedure(registry.approvals.review, siteContext(fixture.app, u("chk-price")), { token: tokenOfLink(link.approvalUrl) });
    expect(review.changed).toBe(true);
    expect(review.currentTotal.amountMinor).toBe(newPrice);
    expect(review.lines[0]!.changes[0]).toContain("Price rose");
    const stale = await refusal(approve(u("chk-price"), link, { expectedTotalMinor: a!.priceMinor }));
    expect(stale.code).toBe("conflict");
    expect(stale.message).toContain("prices changed");
    expect((await approvalRow(link.approvalId)).status).toBe("pending_approval");
    const ok = await approve(u("chk-price"), link, { expectedTotalMinor: newPrice });
    const session = fixture.app.stripe.sessions.get(sessionIdOf(ok.checkoutUrl))!;
    expect(session.amount_total).toBe(newPrice);
    expect(session.metadata?.version).toBe("2");
    const row = await approvalRow(link.approvalId);
    expect(row.total_minor).toBe(newPrice);
    expect(row.version).toBe(2);
  });

  it("asks for the sizes it does not know, and refuses one out of stock", async () => {
    const [jeans] = await itemsInStock(db(), 1, "bottoms");
    const link = await newLink(u("chk-size-page"), [jeans!.id]);
    const missing = await refusal(approve(u("chk-size-page"), link, { sizes: {} }));
    expect(missing.code).toBe("validation");
    expect(missing.issues?.[0]?.field).toBe(`sizes.${jeans!.id}`);
    const wrong = await refusal(approve(u("chk-size-page"), link, { sizes: { [jeans!.id]: "XXXL" } }));
    expect(wrong.issues?.[0]?.message).toContain("out of stock");
    const ok = await approve(u("chk-size-page"), link, { sizes: { [jeans!.id]: jeans!.sizes[1]! } });
    expect(fixture.app.stripe.sessions.get(sessionIdOf(ok.checkoutUrl))!.amount_total).toBe(jeans!.priceMinor);
  });

  it("an expired link cannot be approved and reads as expired", async () => {
    const [a] = await itemsInStock(db(), 1);
    const link = await newLink(u("chk-expired"), [a!.id]);
    await db().execute(sql`update approvals set expires_at = now() - interval '1 minute' where id = ${link.approvalId}`);
    const error = await refusal(approve(u("chk-expired"), link));
    expect(error.code).toBe("conflict");
    expect(error.message).toContain("expired");
    expect((await approvalRow(link.approvalId)).status).toBe("expired");
    const status = await callOk<{ status: string }>(await fixture.app.mcpClient(u("chk-expired")), "orders.getApprovalStatus", { token: tokenOfLink(link.approvalUrl) });
    expect(status.status).toBe("expired");
  });

  it("someone else signed in sees not_found and cannot approve or cancel", async () => {
    const [a] = await itemsInStock(db(), 1);
    const link = await newLink(u("chk-victim"), [a!.id]);
    const other = siteContext(fixture.app, u("chk-intruder"));
    const reviewed = await refusal(runProcedure(registry.approvals.review, other, { token: tokenOfLink(link.approvalUrl) }));
    expect(reviewed.code).toBe("not_found");
    const approved = await refusal(runProcedure(registry.approvals.approve, other, { approvalId: link.approvalId, sizes: {}, expectedTotalMinor: a!.priceMinor }));
    expect(approved.code).toBe("not_found");
    const canceled = await refusal(runProcedure(registry.approvals.cancel, other, { approvalId: link.approvalId }));
    expect(canceled.code).toBe("not_found");
    expect((await approvalRow(link.approvalId)).status).toBe("pending_approval");
  });

  it("cancel closes the open Stripe page; its expiry event does not reopen anything", async () => {
    const [a] = await itemsInStock(db(), 1);
    const link = await newLink(u("chk-cancel"), [a!.id]);
    const { checkoutUrl } = await approve(u("chk-cancel"), link);
    const canceled = await runProcedure(registry.approvals.cancel, siteContext(fixture.app, u("chk-cancel")), { approvalId: link.approvalId });
    expect(canceled.status).toBe("canceled");
    expect(fixture.app.stripe.sessions.get(sessionIdOf(checkoutUrl))!.status).toBe("expired");
    const expiredEvent = fixture.app.stripe.deliveries.at(-1)!;
    expect(expiredEvent.event.type).toBe("checkout.session.expired");
    expect(expiredEvent.status).toBe(200);
    expect((await approvalRow(link.approvalId)).status).toBe("canceled");
  });
});

describe("POST /webhooks/stripe", () => {
  async function approvedLink(user: string) {
    const [a, b] = await itemsInStock(db(), 2, "accessories").then(async (acc) => (acc.length >= 2 ? acc : itemsInStock(db(), 2)));
    const link = await newLink(user, [a!.id, b!.id]);
    const { checkoutUrl } = await approve(user, link);
    const session = fixture.app.stripe.sessions.get(sessionIdOf(checkoutUrl))!;
    return { link, session };
  }
  const asEvent = (session: Record<string, unknown>, patch: Record<string, unknown> = {}) => ({ ...session, ...patch });

  it("a paid checkout marks the approval paid and puts the items in the wardrobe", async () => {
    const { link, session } = await approvedLink(u("wh-paid"));
    await fixture.app.stripe.pay(session.id, "card");
    expect(fixture.app.stripe.deliveries.at(-1)!.status).toBe(200);
    const status = await callOk<{ status: string; paidAt: string | null }>(await fixture.app.mcpClient(u("wh-paid")), "orders.getApprovalStatus", { token: tokenOfLink(link.approvalUrl) });
    expect(status.status).toBe("paid");
    expect(status.paidAt).not.toBeNull();
    const wardrobe = rowsOf<{ product_id: string }>(await db().execute(sql`select product_id from wardrobe_items where user_id = ${u("wh-paid")}`));
    expect(wardrobe.map((w) => w.product_id).sort()).toEqual(link.items.map((i) => i.itemId).sort());
    const audits = await auditsOf(link.approvalId);
    expect(audits).toContainEqual({ event_type: "approval.status_changed", actor_kind: "webhook", to: "paid" });
  });

  it("refuses a forged signature, a tampered body, an old and a future timestamp, changing nothing", async () => {
    const { link, session } = await approvedLink(u("wh-forged"));
    const paid = { type: "checkout.session.completed", session: asEvent(session as never, { status: "complete", payment_status: "paid" }) };
    const now = Math.floor(Date.now() / 1000);
    const attempts = [
      await deliver(fixture.app, paid, { secret: "whsec_not_ours" }),
      await deliver(fixture.app, paid, { tamper: (p) => p.replace(`"amount_total":${session.amount_total}`, `"amount_total":1`) }),
      await deliver(fixture.app, paid, { timestamp: now - 600 }),
      await deliver(fixture.app, paid, { timestamp: now + 600 }),
    ];
    expect(attempts.map((a) => a.status)).toEqual([400, 400, 400, 400]);
    expect(attempts[2]!.body.error?.message).toContain("window");
    expect(attempts[3]!.body.error?.message).toContain("window");
    const unsigned = await fetch(`${fixture.app.url}/webhooks/stripe`, { method: "POST", body: "{}" });
    expect(unsigned.status).toBe(400);
    expect((await approvalRow(link.approvalId)).status).toBe("approved");
  });

  it("a correctly signed event whose amount differs from the snapshot is recorded as a mismatch, never paid", async () => {
    const { link, session } = await approvedLink(u("wh-mismatch"));
    const result = await deliver(fixture.app, {
      type: "checkout.session.completed",
      session: asEvent(session as never, { status: "complete", payment_status: "paid", amount_total: (session.amount_total ?? 0) - 100 }),
    });
    expect(result).toMatchObject({ status: 200, body: { outcome: "mismatch" } });
    const row = await approvalRow(link.approvalId);
    expect(row.status).toBe("approved");
    expect(JSON.stringify(row.discrepancy)).toContain("differs from the approved");
    expect(await auditsOf(link.approvalId)).toContainEqual({ event_type: "approval.payment_mismatch", actor_kind: "webhook", to: null });
  });

  it("a replayed event and 20 concurrent deliveries of one event apply once", async () => {
    const { link, session } = await approvedLink(u("wh-dupes"));
    const event = { id: `evt_dupe_${link.approvalId}`, type: "checkout.session.completed", session: asEvent(session as never, { status: "complete", payment_status: "paid" }) };
    const results = await Promise.all(Array.from({ length: 20 }, () => deliver(fixture.app, event)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.filter((r) => r.body.outcome === "applied")).toHaveLength(1);
    expect(results.filter((r) => r.body.outcome === "duplicate")).toHaveLength(19);
    const replay = await deliver(fixture.app, event);
    expect(replay.body.outcome).toBe("duplicate");
    const changes = rowsOf<{ n: number }>(
      await db().execute(sql`select count(*)::int as n from audit_events where entity_id = ${link.approvalId} and event_type = 'approval.status_changed'`),
    )[0]!.n;
    expect(changes).toBe(1);
    const wardrobe = rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from wardrobe_items where approval_id = ${link.approvalId}`))[0]!.n;
    expect(wardrobe).toBe(link.items.length);
  });

  it("events out of order never move an approval back: expired after paid, succeeded before completed", async () => {
    const first = await approvedLink(u("wh-order-1"));
    await deliver(fixture.app, { type: "checkout.session.completed", session: asEvent(first.session as never, { status: "complete", payment_status: "paid" }) });
    const late = await deliver(fixture.app, { type: "checkout.session.expired", session: asEvent(first.session as never, { status: "expired" }) });
    expect(late.body.outcome).toBe("stale");
    expect((await approvalRow(first.link.approvalId)).status).toBe("paid");

    const second = await approvedLink(u("wh-order-2"));
    const paidSession = asEvent(second.session as never, { status: "complete", payment_status: "paid" });
    expect((await deliver(fixture.app, { type: "checkout.session.async_payment_succeeded", session: paidSession })).body.outcome).toBe("applied");
    const completedLate = await deliver(fixture.app, { type: "checkout.session.completed", session: asEvent(second.session as never, { status: "complete", payment_status: "unpaid" }) });
    expect(completedLate.body.outcome).toBe("stale");
    expect((await approvalRow(second.link.approvalId)).status).toBe("paid");
  });

  it("a delayed payment is payment_pending until it settles; a failure is payment_failed", async () => {
    const { link, session } = await approvedLink(u("wh-delayed"));
    await fixture.app.stripe.pay(session.id, "delayed");
    expect((await approvalRow(link.approvalId)).status).toBe("payment_pending");
    await fixture.app.stripe.settle(session.id, false);
    expect((await approvalRow(link.approvalId)).status).toBe("payment_failed");
    const wardrobe = rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from wardrobe_items where approval_id = ${link.approvalId}`))[0]!.n;
    expect(wardrobe).toBe(0);
  });

  it("a payment for a session this approval never opened is a mismatch; a closed page for one is ignored", async () => {
    const { link, session } = await approvedLink(u("wh-foreign"));
    const foreign = { ...session, id: "cs_test_not_ours", metadata: { ...session.metadata } };
    const paid = await deliver(fixture.app, { type: "checkout.session.completed", session: asEvent(foreign as never, { status: "complete", payment_status: "paid" }) });
    expect(paid.body.outcome).toBe("mismatch");
    const closed = await deliver(fixture.app, { type: "checkout.session.expired", session: asEvent(foreign as never, { status: "expired" }) });
    expect(closed.body.outcome).toBe("ignored");
    expect((await approvalRow(link.approvalId)).status).toBe("approved");
  });

  it("acknowledges and ignores event types it does not handle", async () => {
    const result = await deliver(fixture.app, { type: "customer.created", session: { id: "cus_123" } });
    expect(result).toMatchObject({ status: 200, body: { outcome: "ignored" } });
  });
});
