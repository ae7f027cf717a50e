import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildCandidates } from "./candidates";
import { dominancePairs, greedyPlan, objectiveOf, solvePlan, type Candidate, type PlanProblem } from "./optimizer";
import { outfitProblem, type PlanItem, type Season } from "./rules";

const KINDS = [
  { category: "tops", subcategory: "shirts" },
  { category: "tops", subcategory: "tshirts" },
  { category: "bottoms", subcategory: "trousers" },
  { category: "bottoms", subcategory: "jeans" },
  { category: "dresses", subcategory: "midi-dresses" },
  { category: "shoes", subcategory: "sneakers" },
  { category: "shoes", subcategory: "loafers" },
  { category: "outerwear", subcategory: "coats" },
] as const;

const itemArb = (index: number) =>
  fc.record({
    kind: fc.constantFrom(...KINDS),
    colour: fc.constantFrom("black", "white", "navy", "beige", "red", "green"),
    pattern: fc.constantFrom("solid", "solid", "solid", "striped"),
    formality: fc.integer({ min: 2, max: 3 }),
    price: fc.integer({ min: 10, max: 150 }),
    owned: fc.boolean().map((b) => b && index % 5 === 0),
    affinity: fc.integer({ min: 10, max: 30 }).map((n) => n / 10),
    occasions: fc.subarray(["work", "weekend"]),
  }).map(
    (r): PlanItem => ({
      id: `i${String(index).padStart(3, "0")}`,
      title: `${r.colour} ${r.kind.subcategory}`,
      brand: "Test",
      category: r.kind.category,
      subcategory: r.kind.subcategory,
      colors: [r.colour],
      pattern: r.pattern,
      formality: r.formality,
      seasons: ["spring", "summer", "autumn", "winter"],
      styleTags: [],
      occasions: r.occasions,
      // As the catalog derives it (server/catalog/attributes.ts): a coat is warm.
      weather: r.kind.subcategory === "coats" ? ["warm"] : [],
      priceMinor: r.price * 100,
      owned: r.owned,
      liked: false,
      affinity: r.affinity,
    }),
  );

const poolArb = (min: number, max: number) =>
  fc.integer({ min, max }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => itemArb(i))));

function problemOf(
  pool: PlanItem[],
  season: Season,
  budgetMinor: number,
  outfitCount: number,
  include: string[] = [],
  goalOccasions: string[] = [],
): PlanProblem & { items: Map<string, PlanItem> } {
  const set = buildCandidates(pool, season, budgetMinor, new Set(include), { goalOccasions });
  return { items: new Map(pool.map((i) => [i.id, i])), candidates: set.candidates, outfitCount, budgetMinor, include };
}

function spend(problem: PlanProblem, outfits: readonly Candidate[]): number {
  const ids = new Set(outfits.flatMap((o) => o.items));
  return [...ids].reduce((sum, id) => sum + (problem.items.get(id)!.owned ? 0 : problem.items.get(id)!.priceMinor), 0);
}

/** Every way to choose `k` of the candidates: the exhaustive answer the solver must match. */
function bruteForce(problem: PlanProblem): number | null {
  let best: number | null = null;
  const n = problem.candidates.length;
  const choose = (start: number, picked: Candidate[]) => {
    if (picked.length === problem.outfitCount) {
      if (spend(problem, picked) > problem.budgetMinor) return;
      if (!problem.include.every((id) => picked.some((o) => o.items.includes(id)))) return;
      const value = objectiveOf(problem, picked);
      if (best === null || value > best) best = value;
      return;
    }
    for (let i = start; i < n; i++) choose(i + 1, [...picked, problem.candidates[i]!]);
  };
  choose(0, []);
  return best;
}

describe("the plan optimiser (HiGHS)", () => {
  it("finds the same best plan as trying every combination, on small catalogs", async () => {
    await fc.assert(
      fc.asyncProperty(poolArb(6, 10), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 100, max: 600 }), fc.constantFrom<string[]>([], ["work"]), async (pool, outfitCount, budget, goalOccasions) => {
        const problem = problemOf(pool, "spring", budget * 100, outfitCount, [], goalOccasions);
        fc.pre(problem.candidates.length > 0 && problem.candidates.length <= 14);
        const expected = bruteForce(problem);
        const result = await solvePlan(problem, "plan", { relGap: 0 });
        if (expected === null) {
          expect(result.ok).toBe(false);
          return;
        }
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.solution.status).toBe("optimal");
        expect(result.solution.objective).toBeCloseTo(expected, 5);
        expect(objectiveOf(problem, result.solution.outfits)).toBeCloseTo(expected, 5);
      }),
      { numRuns: 60, seed: 8 },
    );
  });

  it("never goes over budget, always uses included pieces, and every outfit is wearable and distinct", async () => {
    await fc.assert(
      fc.asyncProperty(
        poolArb(10, 30),
        fc.constantFrom<Season>("spring", "winter"),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 50, max: 2000 }),
        fc.nat(),
        fc.constantFrom<string[]>([], ["work"]),
        async (pool, season, outfitCount, budget, includeSeed, goalOccasions) => {
          const includable = pool.filter((i) => i.category !== "outerwear" || season === "winter");
          const include = includable.length > 0 && includeSeed % 2 === 0 ? [includable[includeSeed % includable.length]!.id] : [];
          const problem = problemOf(pool, season, budget * 100, outfitCount, include, goalOccasions);
          fc.pre(include.every((id) => problem.candidates.some((c) => c.items.includes(id))));
          const result = await solvePlan(problem);
          if (!result.ok) return;
          const { outfits, spentMinor } = result.solution;
          expect(outfits).toHaveLength(outfitCount);
          expect(spentMinor).toBeLessThanOrEqual(problem.budgetMinor);
          expect(spend(problem, outfits)).toBe(spentMinor);
          expect(new Set(outfits.map((o) => o.items.join("|"))).size).toBe(outfitCount);
          for (const id of include) expect(outfits.some((o) => o.items.includes(id))).toBe(true);
          for (const o of outfits) expect(outfitProblem(o.items.map((id) => (problem.items as Map<string, PlanItem>).get(id)!), season)).toBeNull();
        },
      ),
      { numRuns: 80, seed: 21 },
    );
  });

  it("is deterministic for the same input", async () => {
    const [pool] = fc.sample(poolArb(25, 25), { numRuns: 1, seed: 5 });
    const problem = problemOf(pool!, "autumn", 80_000, 5);
    const first = await solvePlan(problem);
    const second = await solvePlan(problem);
    expect(first.ok && second.ok).toBe(true);
    if (first.ok && second.ok) expect(second.solution.outfits).toEqual(first.solution.outfits);
  });

  it("scores at least as well as the greedy baseline whenever both find a plan", async () => {
    await fc.assert(
      fc.asyncProperty(poolArb(15, 30), fc.integer({ min: 2, max: 6 }), fc.integer({ min: 200, max: 1500 }), async (pool, outfitCount, budget) => {
        const problem = problemOf(pool, "summer", budget * 100, outfitCount);
        const greedy = greedyPlan(problem);
        fc.pre(greedy.outfits.length === outfitCount);
        expect(greedy.spentMinor).toBeLessThanOrEqual(problem.budgetMinor);
        const exact = await solvePlan(problem, "plan", { relGap: 0 });
        expect(exact.ok).toBe(true);
        if (exact.ok) expect(exact.solution.objective).toBeGreaterThanOrEqual(objectiveOf(problem, greedy.outfits) - 1e-6);
      }),
      { numRuns: 40, seed: 3 },
    );
  });

  it("reports an impossible budget as infeasible, and the numbers that explain it", async () => {
    const [pool] = fc.sample(poolArb(20, 20), { numRuns: 1, seed: 11 });
    const problem = problemOf(pool!, "spring", 1000, 3);
    fc.pre(problem.candidates.length >= 3);
    expect((await solvePlan(problem)).ok).toBe(false);
    const cheapest = await solvePlan({ ...problem, budgetMinor: Number.MAX_SAFE_INTEGER }, "minCost");
    expect(cheapest.ok && cheapest.solution.spentMinor).toBeGreaterThan(1000);
  });

  it("lets a cheaper twin stand in for a dearer piece, and never the other way round", () => {
    const base = { brand: "Test", seasons: ["spring"], styleTags: [], occasions: [], weather: [], owned: false, liked: false, affinity: 2, pattern: "solid", formality: 2 };
    const pool: PlanItem[] = [
      { ...base, id: "tee-cheap", title: "white tee", category: "tops", subcategory: "tshirts", colors: ["white"], priceMinor: 1500 },
      { ...base, id: "tee-dear", title: "white tee", category: "tops", subcategory: "tshirts", colors: ["white"], priceMinor: 4000 },
      { ...base, id: "jeans", title: "navy jeans", category: "bottoms", subcategory: "jeans", colors: ["navy"], priceMinor: 5000 },
      { ...base, id: "loafers", title: "black loafers", category: "shoes", subcategory: "loafers", colors: ["black"], priceMinor: 6000 },
    ];
    const problem = problemOf(pool, "spring", 100_000, 1);
    const ids = [...new Set(problem.candidates.flatMap((c) => c.items))].sort();
    const terms = ids.map((id) => -(problem.items.get(id)!.priceMinor / problem.budgetMinor));
    expect(dominancePairs(problem, ids, terms, "plan", new Set())).toEqual([["tee-dear", "tee-cheap"]]);
    // An included piece is never the one replaced.
    expect(dominancePairs(problem, ids, terms, "plan", new Set(["tee-dear"]))).toEqual([]);
  });
});
