import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, unique, uuid, boolean } from "drizzle-orm/pg-core";
import { products } from "./catalog";
import { users } from "./users";

/**
 * Where an approval stands. Forward only (server/checkout/state.ts): `paid`, `payment_failed`,
 * `expired` and `canceled` are final, and nothing moves an approval back.
 */
export const APPROVAL_STATUSES = [
  "pending_approval",
  "approved",
  "payment_pending",
  "paid",
  "payment_failed",
  "expired",
  "canceled",
] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/** What a payment did not match when a webhook was cross-checked against the snapshot. */
export interface PaymentDiscrepancy {
  eventId: string;
  sessionId: string;
  problems: string[];
  recordedAt: string;
}

/**
 * A snapshot of a basket the user approves on the site before paying through Stripe Checkout. The
 * snapshot (items, sizes, unit prices, total) never drifts: a price change on the catalog makes a new
 * `version` only when the user confirms the new total on the approval page.
 */
export const approvals = pgTable(
  "approvals",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** SHA-256 of the deep-link token; the token itself is only ever in the link. */
    tokenHash: text("token_hash").notNull().unique(),
    status: text("status", { enum: APPROVAL_STATUSES }).notNull().default("pending_approval"),
    /** 1 for the basket as created; +1 each time the user accepts changed prices or sizes. */
    version: integer("version").notNull().default(1),
    /** SHA-256 of the snapshot (items, sizes, prices, currency): sent to Stripe and checked on payment. */
    basketHash: text("basket_hash").notNull().default(""),
    totalMinor: integer("total_minor").notNull(),
    currency: text("currency").notNull().default("USD"),
    notes: text("notes"),
    allowOverBudget: boolean("allow_over_budget").notNull().default(false),
    successUrl: text("success_url"),
    cancelUrl: text("cancel_url"),
    stripeCheckoutSessionId: text("stripe_checkout_session_id").unique(),
    /** Stripe's hosted page for the open session, so "continue to payment" needs no call to Stripe. */
    checkoutUrl: text("checkout_url"),
    paidAmountMinor: integer("paid_amount_minor"),
    discrepancy: jsonb("discrepancy").$type<PaymentDiscrepancy>(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    approvedAt: timestamp("approved_at", { withTimezone: true }),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("approvals_user_created_idx").on(t.userId, t.createdAt),
    check(
      "approvals_status_valid",
      sql`${t.status} in ('pending_approval', 'approved', 'payment_pending', 'paid', 'payment_failed', 'expired', 'canceled')`,
    ),
    check("approvals_total_nonnegative", sql`${t.totalMinor} >= 0`),
  ],
);

export const approvalItems = pgTable(
  "approval_items",
  {
    approvalId: uuid("approval_id")
      .notNull()
      .references(() => approvals.id, { onDelete: "cascade" }),
    productId: text("product_id")
      .notNull()
      .references(() => products.id),
    /** Order in the basket, as the assistant listed the items. */
    position: smallint("position").notNull().default(0),
    title: text("title").notNull(),
    /** The size to ship; null until chosen (from the profile when known, else on the approval page). */
    size: text("size"),
    unitPriceMinor: integer("unit_price_minor").notNull(),
    quantity: integer("quantity").notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.approvalId, t.productId] }),
    check("approval_items_quantity_positive", sql`${t.quantity} > 0`),
  ],
);

/** Stripe event ids already processed: a redelivered webhook is acknowledged and ignored. */
export const stripeWebhookEvents = pgTable("stripe_webhook_events", {
  eventId: text("event_id").primaryKey(),
  type: text("type").notNull(),
  receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  processedAt: timestamp("processed_at", { withTimezone: true }),
  approvalId: uuid("approval_id").references(() => approvals.id, { onDelete: "set null" }),
  /** What the event did: applied, ignored (stale or unknown type), mismatch, unknown_approval. */
  outcome: text("outcome"),
  /** The session id, amount, currency and payment status only: no email, name or address. */
  payload: jsonb("payload").$type<Record<string, unknown>>(),
});

/** What the user owns because they bought it through an approval: planning builds around it. */
export const wardrobeItems = pgTable(
  "wardrobe_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    productId: text("product_id")
      .notNull()
      .references(() => products.id),
    size: text("size"),
    approvalId: uuid("approval_id").references(() => approvals.id, { onDelete: "set null" }),
    acquiredAt: timestamp("acquired_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("wardrobe_items_approval_product_uq").on(t.approvalId, t.productId), index("wardrobe_items_user_idx").on(t.userId)],
);
