import { z } from "zod";
import { findProduct } from "@/db/repos/catalog";
import { upsertRating } from "@/db/repos/feedback";
import { audit } from "../audit";
import { notFound } from "../errors";
import { itemIdSchema } from "./catalog";
import { defineProcedure, WRITE_IDEMPOTENT } from "./define";

const ratingSchema = z.union([z.literal(-1), z.literal(0), z.literal(1)], {
  error: "must be -1 (dislike), 0 (neutral) or 1 (like)",
});

export const rateItem = defineProcedure({
  name: "feedback.rateItem",
  title: "Rate an item",
  description:
    "Record how the user feels about an item: 1 = like, 0 = neutral, -1 = dislike. One rating per item; " +
    "rating again replaces the previous rating. Ratings steer later recommendations and plans.",
  scopes: ["feedback:write"],
  input: z.strictObject({ itemId: itemIdSchema, rating: ratingSchema }),
  output: z.object({ itemId: z.string(), rating: ratingSchema, ratedAt: z.string() }),
  annotations: WRITE_IDEMPOTENT,
  handler: async (ctx, input) => {
    const product = await findProduct(ctx.db, input.itemId);
    if (!product) throw notFound("item", input.itemId);
    const row = await upsertRating(ctx.db, ctx.actor.userId, product.id, input.rating);
    await audit(ctx, {
      eventType: "feedback.rated",
      entityType: "product",
      entityId: product.id,
      payload: { rating: input.rating },
    });
    return { itemId: row.productId, rating: input.rating, ratedAt: row.updatedAt.toISOString() };
  },
});
