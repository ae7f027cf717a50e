import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { listAuditEventsForUser } from "@/db/repos/audit";
import { findProfile, upsertBudgetAndGoals } from "@/db/repos/profiles";
import { eq } from "drizzle-orm";
import { auditEvents } from "@/db/schema";
import { silentLogger } from "@/server/logger";
import { audit } from "@/server/audit";
import { defineProcedure } from "@/server/procedures/define";
import { runProcedure } from "@/server/run-procedure";
import { useTestDatabase, userContext } from "./support/fixture";

const fixture = useTestDatabase();

const ctxFor = (userId: string) => userContext(fixture.database.db, userId, "site");

describe("audit_events", () => {
  it("the database refuses to update, delete or truncate audit events", async () => {
    const user = `audit-${randomUUID()}`;
    await fixture.database.db.insert(auditEvents).values({
      actorUserId: user,
      actorKind: "user",
      via: "site",
      eventType: "test.event",
      entityType: "test",
      entityId: "1",
    });
    for (const statement of [
      sql`update audit_events set event_type = 'x' where actor_user_id = ${user}`,
      sql`delete from audit_events where actor_user_id = ${user}`,
      sql`truncate audit_events`,
    ]) {
      const error = await fixture.database.db.execute(statement).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect(String((error as Error & { cause?: Error }).cause?.message ?? error)).toMatch(/append-only/);
    }
    expect(await listAuditEventsForUser(fixture.database.db, user)).toHaveLength(1);
  });

  it("a mutation that fails after writing keeps neither its change nor its audit event", async () => {
    const user = `audit-${randomUUID()}`;
    const failing = defineProcedure({
      name: "test.failAfterWrite",
      title: "Fail after write",
      description: "Test-only mutation that fails after its change and audit event.",
      scopes: ["profile:write"],
      input: z.strictObject({}),
      output: z.object({}),
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
      handler: async (ctx) => {
        await upsertBudgetAndGoals(ctx.db, ctx.actor.userId, { monthlyBudgetMinor: 100, goals: [], styleTags: [] });
        await audit(ctx, { eventType: "profile.budget_goals_updated", entityType: "profile", entityId: ctx.actor.userId });
        throw new Error("boom");
      },
    });
    const error = await runProcedure(failing, ctxFor(user), {}).catch((e) => e);
    expect(error.code).toBe("internal");
    expect(error.message).not.toContain("boom");
    expect(await findProfile(fixture.database.db, user)).toBeUndefined();
    expect(await listAuditEventsForUser(fixture.database.db, user)).toEqual([]);
  });

  it("a domain verb runs for the system (job worker, CLI) with the same audit trail, and refuses people", async () => {
    const entityId = `job-${randomUUID()}`;
    const expireJob = defineProcedure({
      name: "test.expireJob",
      title: "Expire a job",
      description: "Test-only verb that only the job worker may run.",
      scopes: [],
      input: z.strictObject({ entityId: z.string() }),
      output: z.object({ expired: z.boolean() }),
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
      doors: [],
      actors: ["system"],
      handler: async (ctx, input) => {
        await audit(ctx, { eventType: "job.expired", entityType: "job", entityId: input.entityId });
        return { expired: true };
      },
    });
    const systemCtx = { ...ctxFor("unused"), actor: { kind: "system", via: "job" } as const, log: silentLogger };
    expect(await runProcedure(expireJob, systemCtx, { entityId })).toEqual({ expired: true });
    const rows = await fixture.database.db.select().from(auditEvents).where(eq(auditEvents.entityId, entityId));
    expect(rows).toMatchObject([{ actorKind: "system", via: "job", actorUserId: null, eventType: "job.expired" }]);

    const refused = await runProcedure(expireJob, ctxFor(`audit-${randomUUID()}`), { entityId }).catch((e) => e);
    expect(refused.code).toBe("unauthorized");
  });
});
