import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import Stripe from "stripe";
import type { Db } from "@/db/client";
import { rowsOf } from "@/db/repos/rows";
import { SCOPES } from "@/server/auth/scopes";
import type { Context } from "@/server/context";
import { contextFor } from "@/server/http";
import type { TestApp } from "./app";
import { TEST_STRIPE } from "./app";

/** A signed-in person on the companion site of the test app (every scope, as the site grants). */
export function siteContext(app: TestApp, userId: string): Context {
  return contextFor(app.deps, { kind: "user", userId, scopes: new Set(SCOPES), via: "site", email: `${userId}@example.com`, name: userId }, randomUUID());
}

/** Catalog items in stock, cheapest first within a category, for baskets. */
export async function itemsInStock(db: Db, count: number, category = "tops"): Promise<Array<{ id: string; priceMinor: number; sizes: string[] }>> {
  const rows = rowsOf<{ id: string; price_minor: number; sizes_in_stock: string[] }>(
    await db.execute(sql`select id, price_minor, sizes_in_stock from products
      where category = ${category} and cardinality(sizes_in_stock) > 1 order by price_minor, id limit ${count}`),
  );
  return rows.map((r) => ({ id: r.id, priceMinor: r.price_minor, sizes: r.sizes_in_stock }));
}

/** The token at the end of an approval link. */
export function tokenOfLink(url: string): string {
  return url.split("/approve/")[1]!;
}

/** POSTs a Stripe-shaped event to the test app's webhook endpoint, signed as Stripe signs. */
export async function deliver(
  app: TestApp,
  event: { id?: string; type: string; session: Record<string, unknown> },
  options: { timestamp?: number; secret?: string; tamper?: (payload: string) => string } = {},
): Promise<{ status: number; body: { outcome?: string; error?: { code: string; message: string } } }> {
  const payload = JSON.stringify({
    id: event.id ?? `evt_${randomUUID().replaceAll("-", "")}`,
    object: "event",
    api_version: Stripe.API_VERSION,
    created: Math.floor(Date.now() / 1000),
    data: { object: { object: "checkout.session", ...event.session } },
    livemode: false,
    type: event.type,
  });
  const header = Stripe.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? TEST_STRIPE.webhookSecret,
    timestamp: options.timestamp ?? Math.floor(Date.now() / 1000),
  });
  const response = await fetch(`${app.url}/webhooks/stripe`, {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": header },
    body: options.tamper ? options.tamper(payload) : payload,
  });
  return { status: response.status, body: (await response.json()) as never };
}
