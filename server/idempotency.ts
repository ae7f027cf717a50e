import { createHash } from "node:crypto";
import { claimIdempotencyKey, storeIdempotentResponse } from "@/db/repos/idempotency";
import type { UserContext } from "./context";
import { AppError } from "./errors";

/**
 * Runs `effect` at most once per (user, procedure, key). Call it inside the mutation's transaction
 * (runProcedure opens one): the claim, the effect and the stored response commit together, so a crash
 * leaves no half-claimed key, and a concurrent duplicate waits on the key's row and then replays.
 * The same key with a different request is a conflict.
 */
export async function withIdempotency<T>(
  ctx: UserContext,
  procedure: string,
  key: string | undefined,
  request: unknown,
  effect: () => Promise<T>,
): Promise<T> {
  if (key === undefined) return effect();
  const claim = { userId: ctx.actor.userId, procedure, key, requestHash: requestHash(request) };
  const existing = await claimIdempotencyKey(ctx.db, claim);
  if (existing) {
    if (existing.requestHash !== claim.requestHash) {
      throw new AppError("conflict", `The idempotency key ${key} was already used for a different request.`);
    }
    return existing.response as T;
  }
  const response = await effect();
  await storeIdempotentResponse(ctx.db, claim, response);
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
