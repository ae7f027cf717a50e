import { recordAuditEvent } from "@/db/repos/audit";
import type { Context } from "./context";

/** Records what `ctx`'s actor changed, in `ctx`'s transaction. Payloads: no secrets, tokens or photo URLs. */
export async function audit(
  ctx: Context,
  event: { eventType: string; entityType: string; entityId: string; payload?: Record<string, unknown> },
): Promise<void> {
  const actor = ctx.actor;
  if (actor.kind === "anonymous") throw new Error("an anonymous caller cannot change anything");
  await recordAuditEvent(ctx.db, {
    actorUserId: actor.kind === "user" ? actor.userId : null,
    actorKind: actor.kind,
    via: actor.via,
    requestId: ctx.requestId,
    payload: event.payload ?? {},
    eventType: event.eventType,
    entityType: event.entityType,
    entityId: event.entityId,
  });
}
