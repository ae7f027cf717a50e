import { desc, eq } from "drizzle-orm";
import type { Db } from "../client";
import { auditEvents } from "../schema";

export type AuditEventRow = typeof auditEvents.$inferSelect;
export type NewAuditEvent = Omit<typeof auditEvents.$inferInsert, "id" | "occurredAt">;

/** Call with the transaction of the change being recorded, so both commit or neither does. */
export async function recordAuditEvent(db: Db, event: NewAuditEvent): Promise<void> {
  await db.insert(auditEvents).values(event);
}

export async function listAuditEventsForUser(db: Db, userId: string, limit = 50): Promise<AuditEventRow[]> {
  return db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.actorUserId, userId))
    .orderBy(desc(auditEvents.id))
    .limit(Math.min(limit, 500));
}
