import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../client";
import { outfitItems, outfits, plans, products, wardrobeItems } from "../schema";
import { rowsOf } from "./rows";

export type PlanRow = typeof plans.$inferSelect;
export type OutfitRow = typeof outfits.$inferSelect;
export type OutfitItemRow = typeof outfitItems.$inferSelect;

export interface PoolRow {
  id: string;
  title: string;
  brand: string;
  category: string;
  subcategory: string;
  colors: string[];
  pattern: string;
  formality: number;
  seasons: string[];
  styleTags: string[];
  /** When it is worn (server/catalog/attributes.ts): work, party, weekend… */
  occasions: string[];
  /** What weather it is made for (server/catalog/attributes.ts): warm, waterproof, breathable. */
  weather: string[];
  priceMinor: number;
  sizesInStock: string[];
  rating: number;
}

/** Specific items (what the user owns or asked to include), whatever their season, with the user's rating. */
export async function poolItemsByIds(db: Db, userId: string, ids: readonly string[]): Promise<PoolRow[]> {
  if (ids.length === 0) return [];
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      select p.id, p.title, p.brand, p.category, p.subcategory, p.colors, p.pattern, p.formality, p.seasons,
             p.style_tags, p.occasions, p.weather, p.price_minor, p.sizes_in_stock, coalesce(f.rating, 0) as rating
      from products p left join feedback f on f.product_id = p.id and f.user_id = ${userId}
      where p.id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})
    `),
  );
  return rows.map(toPoolRow);
}

export async function ownedProductIds(db: Db, userId: string): Promise<string[]> {
  const rows = await db.selectDistinct({ id: wardrobeItems.productId }).from(wardrobeItems).where(eq(wardrobeItems.userId, userId));
  return rows.map((r) => r.id).sort();
}

export interface NewPlan {
  plan: typeof plans.$inferInsert;
  outfits: Array<{ name: string; why: string; items: Array<{ productId: string; slot: string; priceMinor: number; owned: boolean }> }>;
}

export async function insertPlan(db: Db, input: NewPlan): Promise<string> {
  const [plan] = await db.insert(plans).values(input.plan).returning({ id: plans.id });
  for (const [position, outfit] of input.outfits.entries()) {
    const [row] = await db
      .insert(outfits)
      .values({ planId: plan!.id, userId: input.plan.userId, name: outfit.name, why: outfit.why, position })
      .returning({ id: outfits.id });
    await db.insert(outfitItems).values(outfit.items.map((item) => ({ ...item, outfitId: row!.id })));
  }
  return plan!.id;
}

export interface PlanDetail {
  plan: PlanRow;
  outfits: Array<OutfitRow & { items: Array<OutfitItemRow & { title: string; category: string; subcategory: string; colors: string[]; pattern: string; formality: number; seasons: string[]; styleTags: string[]; occasions: string[]; weather: string[]; brand: string; sizesInStock: string[]; currentPriceMinor: number }> }>;
}

/** One plan of one user with its outfits and pieces; someone else's is not found. */
export async function findUserPlan(db: Db, userId: string, planId: string, options: { forUpdate?: boolean } = {}): Promise<PlanDetail | undefined> {
  const query = db.select().from(plans).where(and(eq(plans.id, planId), eq(plans.userId, userId))).limit(1);
  const [plan] = options.forUpdate ? await query.for("update") : await query;
  if (!plan) return undefined;
  const outfitRows = await db.select().from(outfits).where(eq(outfits.planId, plan.id)).orderBy(asc(outfits.position));
  const itemRows =
    outfitRows.length === 0
      ? []
      : await db
          .select({
            item: outfitItems,
            title: products.title,
            brand: products.brand,
            category: products.category,
            subcategory: products.subcategory,
            colors: products.colors,
            pattern: products.pattern,
            formality: products.formality,
            seasons: products.seasons,
            styleTags: products.styleTags,
            occasions: products.occasions,
            weather: products.weather,
            sizesInStock: products.sizesInStock,
            currentPriceMinor: products.priceMinor,
          })
          .from(outfitItems)
          .innerJoin(products, eq(products.id, outfitItems.productId))
          .where(inArray(outfitItems.outfitId, outfitRows.map((o) => o.id)));
  // As one dresses, the accessory last (a slot not listed would sort first).
  const order = ["outerwear", "top", "dress", "bottom", "shoes", "accessory"];
  return {
    plan,
    outfits: outfitRows.map((o) => ({
      ...o,
      items: itemRows
        .filter((r) => r.item.outfitId === o.id)
        .map(({ item, ...product }) => ({ ...item, ...product }))
        .sort((a, b) => order.indexOf(a.slot) - order.indexOf(b.slot)),
    })),
  };
}

export async function findOutfitPlanId(db: Db, userId: string, outfitId: string): Promise<string | undefined> {
  const [row] = await db.select({ planId: outfits.planId }).from(outfits).where(and(eq(outfits.id, outfitId), eq(outfits.userId, userId))).limit(1);
  return row?.planId;
}

export async function listUserPlans(db: Db, userId: string, limit: number): Promise<Array<PlanRow & { outfitCount: number; firstItemId: string | null }>> {
  const rows = await db
    .select({
      plan: plans,
      // Aliased subqueries: an unqualified column would bind to the inner table (outfits has an id too).
      outfitCount: sql<number>`(select count(*)::int from outfits o where o.plan_id = "plans"."id")`,
      firstItemId: sql<string | null>`(select oi.product_id from outfit_items oi join outfits o on o.id = oi.outfit_id where o.plan_id = "plans"."id" order by o.position, oi.slot limit 1)`,
    })
    .from(plans)
    .where(eq(plans.userId, userId))
    .orderBy(desc(plans.createdAt))
    .limit(limit);
  return rows.map((r) => ({ ...r.plan, outfitCount: Number(r.outfitCount), firstItemId: r.firstItemId }));
}

/** Replaces one piece of one outfit, and the plan's new total. */
export async function swapOutfitItem(
  db: Db,
  change: { planId: string; outfitId: string; removeItemId: string; add: { productId: string; slot: string; priceMinor: number; owned: boolean }; name: string; why: string; totalMinor: number; summary: string },
): Promise<void> {
  await db.delete(outfitItems).where(and(eq(outfitItems.outfitId, change.outfitId), eq(outfitItems.productId, change.removeItemId)));
  await db.insert(outfitItems).values({ ...change.add, outfitId: change.outfitId });
  await db.update(outfits).set({ name: change.name, why: change.why }).where(eq(outfits.id, change.outfitId));
  await db.update(plans).set({ totalMinor: change.totalMinor, summary: change.summary, updatedAt: sql`now()` }).where(eq(plans.id, change.planId));
}

function toPoolRow(r: Record<string, unknown>): PoolRow {
  return {
    id: String(r.id),
    title: String(r.title),
    brand: String(r.brand),
    category: String(r.category),
    subcategory: String(r.subcategory),
    colors: r.colors as string[],
    pattern: String(r.pattern),
    formality: Number(r.formality),
    seasons: r.seasons as string[],
    styleTags: r.style_tags as string[],
    occasions: r.occasions as string[],
    weather: r.weather as string[],
    priceMinor: Number(r.price_minor),
    sizesInStock: r.sizes_in_stock as string[],
    rating: Number(r.rating),
  };
}
