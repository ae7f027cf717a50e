import { describe, expect, it } from "vitest";
import { affinityOf, buildCandidates, NO_SIGNAL } from "./candidates";
import type { PlanItem } from "./rules";

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
