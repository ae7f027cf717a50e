import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { affinityOf, buildCandidates, NO_SIGNAL } from "./candidates";
import { inSeason, isWarm, needsOuterwear, outfitProblem, roleOf, type PlanItem, type Role, type Season } from "./rules";

const person = { styleTags: [], goalWords: [] };

function piece(id: string, category: string, subcategory: string, formality: number, price: number): PlanItem {
  const base = { id, title: `${subcategory} ${id}`, brand: "Test", category, subcategory, colors: ["navy"], pattern: "solid", formality, seasons: ["spring"], styleTags: [], occasions: [], weather: [], priceMinor: price * 100, owned: false, liked: false, affinity: 0 };
  return { ...base, affinity: affinityOf(base, person) };
}

describe("buildCandidates", () => {
  it("takes pieces nothing sets apart across formality levels, not only the cheapest", () => {
    // A newcomer (no ratings, style tags or goals): every piece has the same affinity. The cheapest dozen
    // of each kind are casual; the smart ones cost more. Cheapest-first lists held only casual pieces.
    const pool: PlanItem[] = [];
    for (let n = 0; n < 12; n++) {
      pool.push(piece(`t${n}`, "tops", "tshirts", 1, 10 + n), piece(`b${n}`, "bottoms", "jeans", 1, 20 + n), piece(`s${n}`, "shoes", "sneakers", 1, 30 + n));
    }
    for (let n = 0; n < 4; n++) {
      pool.push(piece(`T${n}`, "tops", "shirts", 3, 60 + n), piece(`B${n}`, "bottoms", "trousers", 3, 70 + n), piece(`S${n}`, "shoes", "loafers", 3, 80 + n));
    }
    expect(pool.every((i) => i.affinity === NO_SIGNAL)).toBe(true);
    const set = buildCandidates(pool, "spring", 100_000, new Set());
    const formalities = (c: { items: string[] }) => new Set(c.items.map((id) => pool.find((i) => i.id === id)!.formality));
    const smart = set.candidates.filter((c) => formalities(c).has(3) && formalities(c).size === 1);
    expect(smart.length).toBeGreaterThanOrEqual(8);
    // The cheapest pieces are still there for small budgets.
    for (const id of ["t0", "b0", "s0"]) expect(set.candidates.some((c) => c.items.includes(id))).toBe(true);
  });
});

const KINDS = [
  ["tops", "tshirts"], ["tops", "shirts"], ["bottoms", "jeans"], ["bottoms", "trousers"], ["dresses", "midi-dresses"],
  ["shoes", "sneakers"], ["shoes", "loafers"], ["shoes", "heels"], ["outerwear", "coats"], ["outerwear", "parkas"],
  ["outerwear", "denim-jackets"], ["activewear", "leggings"], ["activewear", "sports-bras"], ["activewear", "track-jackets"],
] as ReadonlyArray<readonly [string, string]>;

/** Catalogs of a few hundred pieces, so the short lists leave most of each role out. */
const catalogArb = fc.integer({ min: 80, max: 260 }).chain((n) =>
  fc.tuple(
    ...Array.from({ length: n }, (_, index) =>
      fc
        .record({
          kind: fc.constantFrom(...KINDS),
          colour: fc.constantFrom("black", "white", "navy", "beige", "red", "green", "light blue"),
          pattern: fc.constantFrom("solid", "solid", "striped"),
          formality: fc.integer({ min: 1, max: 5 }),
          price: fc.integer({ min: 10, max: 400 }),
          affinity: fc.constantFrom(1, 1, 1, 1.5, 2, 2.5),
          warm: fc.boolean(),
        })
        .map(({ kind: [category, subcategory], ...r }): PlanItem => ({
          id: `p${String(index).padStart(3, "0")}`,
          title: `${r.colour} ${subcategory}`,
          brand: "Test",
          category,
          subcategory,
          colors: [r.colour],
          pattern: r.pattern,
          formality: r.formality,
          seasons: ["spring", "winter"],
          styleTags: [],
          occasions: [],
          weather: category === "outerwear" && subcategory !== "denim-jackets" && r.warm ? ["warm"] : [],
          priceMinor: r.price * 100,
          owned: false,
          liked: false,
          affinity: r.affinity,
        })),
    ),
  ),
);

/** Whether any wearable outfit of the whole catalog holds the piece: every combination, tried. */
function someOutfitHolds(piece: PlanItem, catalog: readonly PlanItem[], season: Season): boolean {
  const of = (role: Role) => (roleOf(piece) === role ? [piece] : catalog.filter((i) => roleOf(i) === role && (role !== "outerwear" || isWarm(i))));
  const layers = needsOuterwear(season) ? of("outerwear") : [null];
  const bases = [...of("dress").map((d) => [d]), ...of("top").flatMap((t) => of("bottom").map((b) => [t, b]))].filter((b) => roleOf(piece) === "shoes" || roleOf(piece) === "outerwear" || b.includes(piece));
  // Pairs that break the formality or statement rule with the piece are left out before the product.
  const near = (i: PlanItem) => Math.abs(i.formality - piece.formality) <= 1;
  return bases.filter((b) => b.every(near)).some((base) =>
    of("shoes").filter(near).some((shoes) => layers.filter((l) => l === null || near(l)).some((layer) => outfitProblem([...base, shoes, ...(layer ? [layer] : [])], season) === null)),
  );
}

describe("buildCandidates with included pieces", () => {
  it("holds an outfit with an included piece whenever the catalog holds one, however the short lists fall", () => {
    fc.assert(
      fc.property(catalogArb, fc.nat(), fc.constantFrom<Season>("winter", "spring"), (catalog, pick, season) => {
        const wearable = catalog.filter((i) => roleOf(i) !== "accessory" && inSeason(i, season) && (roleOf(i) !== "outerwear" || (needsOuterwear(season) && isWarm(i))));
        const piece = wearable[pick % wearable.length]!;
        const set = buildCandidates(catalog, season, 10_000_000, new Set([piece.id]));
        const held = set.candidates.some((c) => c.items.includes(piece.id));
        expect(held, `${piece.title} (${piece.formality}) in ${season}`).toBe(someOutfitHolds(piece, catalog, season));
      }),
      { numRuns: 150 },
    );
  });
});
