import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { listAuditEventsForUser } from "@/db/repos/audit";
import { audit } from "@/server/audit";
import { AppError } from "@/server/errors";
import { withIdempotency } from "@/server/idempotency";
import { defineProcedure } from "@/server/procedures/define";
import { runProcedure } from "@/server/run-procedure";
import { useTestDatabase, userContext } from "./support/fixture";

const fixture = useTestDatabase();

/** A stand-in for the try-on and checkout tools: one side effect (an audit row), keyed by idempotencyKey. */
const createThing = defineProcedure({
  name: "test.createThing",
  title: "Create a thing",
  description: "Test-only mutation with an idempotency key.",
  scopes: ["orders:write"],
  input: z.strictObject({ label: z.string(), idempotencyKey: z.string().optional() }),
  output: z.object({ thingId: z.string(), label: z.string() }),
  annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
  handler: async (ctx, { idempotencyKey, ...request }) =>
    withIdempotency(ctx, "test.createThing", idempotencyKey, request, async () => {
      const thingId = randomUUID();
      // Widen the window in which a concurrent duplicate could slip through.
      await ctx.db.execute(sql`select pg_sleep(0.05)`);
      await audit(ctx, { eventType: "thing.created", entityType: "thing", entityId: thingId, payload: request });
      return { thingId, label: request.label };
    }),
});

const ctxFor = (userId: string) => userContext(fixture.database.db, userId, "mcp");

describe("idempotency keys", () => {
  it("concurrent duplicates produce one effect and the same response", async () => {
    const user = `idem-${randomUUID()}`;
    const calls = Array.from({ length: 8 }, () =>
      runProcedure(createThing, ctxFor(user), { label: "a", idempotencyKey: "key-1" }),
    );
    const responses = await Promise.all(calls);
    expect(new Set(responses.map((r) => r.thingId)).size).toBe(1);
    const events = await listAuditEventsForUser(fixture.database.db, user);
    expect(events.filter((e) => e.eventType === "thing.created")).toHaveLength(1);
  });

  it("a later replay returns the stored response", async () => {
    const user = `idem-${randomUUID()}`;
    const first = await runProcedure(createThing, ctxFor(user), { label: "b", idempotencyKey: "key-2" });
    const replay = await runProcedure(createThing, ctxFor(user), { label: "b", idempotencyKey: "key-2" });
    expect(replay).toEqual(first);
  });

  it("the same key with a different request is a conflict and changes nothing", async () => {
    const user = `idem-${randomUUID()}`;
    await runProcedure(createThing, ctxFor(user), { label: "c", idempotencyKey: "key-3" });
    const error = await runProcedure(createThing, ctxFor(user), { label: "other", idempotencyKey: "key-3" }).catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("conflict");
    expect((await listAuditEventsForUser(fixture.database.db, user)).filter((e) => e.eventType === "thing.created")).toHaveLength(1);
  });

  it("keys are per user: two users may use the same key", async () => {
    const [a, b] = [`idem-${randomUUID()}`, `idem-${randomUUID()}`];
    const ra = await runProcedure(createThing, ctxFor(a), { label: "d", idempotencyKey: "shared" });
    const rb = await runProcedure(createThing, ctxFor(b), { label: "d", idempotencyKey: "shared" });
    expect(ra.thingId).not.toBe(rb.thingId);
  });

  it("without a key every call is its own effect", async () => {
    const user = `idem-${randomUUID()}`;
    await runProcedure(createThing, ctxFor(user), { label: "e" });
    await runProcedure(createThing, ctxFor(user), { label: "e" });
    expect((await listAuditEventsForUser(fixture.database.db, user)).filter((e) => e.eventType === "thing.created")).toHaveLength(2);
  });
});
