import { z } from "zod";
import { eraseAccount } from "../account/account";
import { defineProcedure, DESTRUCTIVE } from "./define";

export const eraseEverything = defineProcedure({
  name: "account.erase",
  title: "Delete everything",
  description:
    "Erase the user's account data for good: profile, ratings, plans, photos and renders, consents, try-ons, approvals and " +
    "orders, wardrobe. Only the audit trail keeps that the erasure happened.",
  scopes: ["profile:write", "photos:write"],
  input: z.strictObject({ confirm: z.literal("delete everything", { error: 'type "delete everything" to confirm' }) }),
  output: z.object({ erased: z.literal(true), photoSets: z.number().int(), files: z.number().int() }),
  annotations: DESTRUCTIVE,
  doors: ["site"],
  transaction: "none",
  handler: async (ctx) => ({ erased: true as const, ...(await eraseAccount(ctx)) }),
});
