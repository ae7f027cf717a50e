import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { listAuditEventsForUser } from "@/db/repos/audit";
import { audit } from "@/server/audit";
import { AppError } from "@/server/errors";
import { idempotencyKeys } from "@/db/schema";
import { defineProcedure, idempotencyKeySchema } from "@/server/procedures/define";
import { runProcedure } from "@/server/run-procedure";
import { useTestDatabase, userContext } from "./support/fixture";

const fixture = useTestDatabase();

/**
 * A stand-in for the try-on and checkout tools: one side effect (an audit row), keyed by idempotencyKey,
 * and a secret in its response (like an approval link's token) that must never be stored in clear.
 */
const SECRET_SALT = "server-side-secret";
const createThing = defineProcedure({
  name: "test.createThing",
  title: "Create a thing",
  description: "Test-only mutation with an idempotency key.",
  scopes: ["orders:write"],
  input: z.strictObject({ label: z.string(), idempotencyKey: idempotencyKeySchema.optional() }),
  output: z.object({ thingId: z.string(), label: z.string(), secretLink: z.string() }),
  annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
  idempotency: {
    redact: ({ secretLink: _secret, ...rest }) => rest,
    restore: (stored) => {
      const rest = stored as { thingId: string; label: string };
      return { ...rest, secretLink: `link-${rest.thingId}-${SECRET_SALT}` };
    },
  },
  handler: async (ctx, { idempotencyKey: _key, ...request }) => {
    const thingId = randomUUID();
    // Widen the window in which a concurrent duplicate could slip through.
    await ctx.db.execute(sql`select pg_sleep(0.05)`);
    await audit(ctx, { eventType: "thing.created", entityType: "thing", entityId: thingId, payload: request });
    return { thingId, label: request.label, secretLink: `link-${thingId}-${SECRET_SALT}` };
  },
});

const ctxFor = (userId: string) => userContext(fixture.database.db, userId, "mcp");

describe("idempotency keys", () => {
  it("concurrent duplicates produce one effect and the same response", async () => {
    const user = `idem-${randomUUID()}`;
    const calls = Array.from({ length: 8 }, () =>
      runProcedure(createThing, ctxFor(user), { label: "a", idempotencyKey: "key-0001" }),
    );
    const responses = await Promise.all(calls);
    expect(new Set(responses.map((r) => r.thingId)).size).toBe(1);
    const events = await listAuditEventsForUser(fixture.database.db, user);
    expect(events.filter((e) => e.eventType === "thing.created")).toHaveLength(1);
  });

  it("a later replay returns the stored response", async () => {
    const user = `idem-${randomUUID()}`;
    const first = await runProcedure(createThing, ctxFor(user), { label: "b", idempotencyKey: "key-0002" });
    const replay = await runProcedure(createThing, ctxFor(user), { label: "b", idempotencyKey: "key-0002" });
    expect(replay).toEqual(first);
  });

  it("the stored response holds no secret; the replay rebuilds it", async () => {
    const user = `idem-${randomUUID()}`;
    const first = await runProcedure(createThing, ctxFor(user), { label: "s", idempotencyKey: "key-secret" });
    const stored = await fixture.database.db.select().from(idempotencyKeys);
    const mine = stored.filter((row) => row.userId === user);
    expect(mine).toHaveLength(1);
    expect(JSON.stringify(mine[0]?.response)).not.toContain(SECRET_SALT);
    expect(await runProcedure(createThing, ctxFor(user), { label: "s", idempotencyKey: "key-secret" })).toEqual(first);
  });

  it("a malformed key is a validation error naming the field", async () => {
    const error = await runProcedure(createThing, ctxFor(`idem-${randomUUID()}`), { label: "x", idempotencyKey: "no spaces allowed" }).catch((e) => e);
    expect(error).toMatchObject({ code: "validation", issues: [{ field: "idempotencyKey" }] });
  });

  it("the same key with a different request is a conflict and changes nothing", async () => {
    const user = `idem-${randomUUID()}`;
    await runProcedure(createThing, ctxFor(user), { label: "c", idempotencyKey: "key-0003" });
    const error = await runProcedure(createThing, ctxFor(user), { label: "other", idempotencyKey: "key-0003" }).catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("conflict");
    expect((await listAuditEventsForUser(fixture.database.db, user)).filter((e) => e.eventType === "thing.created")).toHaveLength(1);
  });

  it("keys are per user: two users may use the same key", async () => {
    const [a, b] = [`idem-${randomUUID()}`, `idem-${randomUUID()}`];
    const ra = await runProcedure(createThing, ctxFor(a), { label: "d", idempotencyKey: "shared-key" });
    const rb = await runProcedure(createThing, ctxFor(b), { label: "d", idempotencyKey: "shared-key" });
    expect(ra.thingId).not.toBe(rb.thingId);
  });

  it("without a key every call is its own effect", async () => {
    const user = `idem-${randomUUID()}`;
    await runProcedure(createThing, ctxFor(user), { label: "e" });
    await runProcedure(createThing, ctxFor(user), { label: "e" });
    expect((await listAuditEventsForUser(fixture.database.db, user)).filter((e) => e.eventType === "thing.created")).toHaveLength(2);
  });
});
