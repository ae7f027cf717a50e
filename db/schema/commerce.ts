import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { products } from "./catalog";
import { users } from "./users";

/** A snapshot of a basket the user approves on the site before paying through Stripe Checkout. */
export const approvals = pgTable(
  "approvals",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** SHA-256 of the deep-link token; the token itself is only ever in the link. */
    tokenHash: text("token_hash").notNull().unique(),
    status: text("status", {
      enum: ["pending", "checkout_started", "paid", "payment_failed", "expired", "cancelled"],
    })
      .notNull()
      .default("pending"),
    totalMinor: integer("total_minor").notNull(),
    currency: text("currency").notNull().default("USD"),
    notes: text("notes"),
    allowOverBudget: boolean("allow_over_budget").notNull().default(false),
    successUrl: text("success_url"),
    cancelUrl: text("cancel_url"),
    stripeCheckoutSessionId: text("stripe_checkout_session_id").unique(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("approvals_user_created_idx").on(t.userId, t.createdAt)],
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
    title: text("title").notNull(),
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
  payload: jsonb("payload").$type<Record<string, unknown>>(),
});
