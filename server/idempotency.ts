import { createHash } from "node:crypto";
import { claimIdempotencyKey, storeIdempotentResponse } from "@/db/repos/idempotency";
import type { UserContext } from "./context";
import { AppError } from "./errors";

/**
 * Runs `effect` at most once per (user, procedure, key); the runner calls it for every procedure that
 * declares idempotency, inside the procedure's transaction, so the claim, the effect and the stored
 * response commit together and a crash leaves no half-claimed key. A concurrent duplicate blocks on the
 * key's row until the first commits, then replays it. The same key with a different request is a
 * conflict. What is stored is `redact(response)`: never a secret; `restore` rebuilds the response.
 */
export async function withIdempotency<T>(
  ctx: UserContext,
  claim: { procedure: string; key: string; request: unknown },
  effect: () => Promise<T>,
  codec: { redact?: (response: T) => unknown; restore?: (stored: unknown) => Promise<T> | T } = {},
): Promise<T> {
  const row = { userId: ctx.actor.userId, procedure: claim.procedure, key: claim.key, requestHash: requestHash(claim.request) };
  const existing = await claimIdempotencyKey(ctx.db, row);
  if (existing) {
    if (existing.requestHash !== row.requestHash) {
      throw new AppError("conflict", `The idempotency key ${claim.key} was already used for a different request.`);
    }
    return codec.restore ? codec.restore(existing.response) : (existing.response as T);
  }
  const response = await effect();
  await storeIdempotentResponse(ctx.db, row, codec.redact ? codec.redact(response) : response);
  return response;
}

/** A hash of the request that ignores key order, so {a,b} and {b,a} are the same request. */
export function requestHash(value: unknown): string {
  return createHash("sha256").update(stableJson(value)).digest("hex");
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
