import { bigserial, index, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Append-only: a trigger (migration 0001) rejects UPDATE and DELETE. Rows are written in the same
 * transaction as the change they record. Payloads never carry secrets, tokens or photo URLs.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull().defaultNow(),
    actorUserId: text("actor_user_id"),
    actorKind: text("actor_kind", { enum: ["user", "system", "webhook"] }).notNull(),
    via: text("via").notNull(),
    eventType: text("event_type").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    requestId: text("request_id"),
  },
  (t) => [
    index("audit_events_actor_idx").on(t.actorUserId, t.occurredAt),
    index("audit_events_entity_idx").on(t.entityType, t.entityId),
  ],
);

/**
 * A mutation's replay record: the same (user, procedure, key) returns the stored response; the same key
 * with a different request hash is a conflict. The primary key makes concurrent duplicates serialize.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    userId: text("user_id").notNull(),
    procedure: text("procedure").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    response: jsonb("response").$type<unknown>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.procedure, t.key] }), index("idempotency_keys_created_idx").on(t.createdAt)],
);
