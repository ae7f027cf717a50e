import { solveMip } from "./highs-worker";

/**
 * The plan as a mixed-integer program, solved exactly by HiGHS (WebAssembly, in process).
 *
 * Variables: x_i = 1 when item i is in the plan, y_o = 1 when candidate outfit o is chosen.
 *
 *   maximise   Σ_o quality_o·y_o  −  NEW_ITEM·Σ_{i new} x_i  +  OWNED_ITEM·Σ_{i owned} x_i
 *              −  SPEND·Σ_i price_i·x_i / budget
 *   subject to y_o ≤ x_i                 for every item i of outfit o   (an outfit needs its pieces)
 *              x_i ≤ Σ_{o ∋ i} y_o        for owned items              (reused only when worn)
 *              Σ_o y_o = outfitCount                                    (that many distinct outfits)
 *              Σ_{i new} price_i·x_i ≤ budget                           (never a cent over)
 *              x_i = 1 and Σ_{o ∋ i} y_o ≥ 1  for every included item    (always used)
 *              x_i ≤ x_j                 when j can always stand in for i (dominancePairs)
 *
 * Solved on a worker thread (./highs-worker.ts), so a solve never blocks other requests.
 * Quality rewards the person's affinity; the per-item terms reward versatility (fewer pieces worn more
 * often), reusing what they own, and money left over. The candidates (wearable outfits only, see
 * rules.ts) come from server/planning/candidates.ts. Deterministic: the same input gives the same model,
 * and HiGHS is deterministic.
 */

export const WEIGHTS = { NEW_ITEM: 0.3, OWNED_ITEM: 0.2, SPEND: 1 } as const;
/**
 * A solve stops after MAX_NODES branch-and-bound nodes (a deterministic limit: the same input gives the
 * same plan) and returns its best plan with the proven gap ("feasible"). Four-piece (winter) plans can
 * take longer to prove optimal than to find: see bench/plan-bench.ts for the figures. The time limit is
 * only a safety net.
 */
export const MAX_NODES = 3000;
export const TIME_LIMIT_SECONDS = 20;
/**
 * The solve stops once its plan is proven within 0.5% of the best possible (the gap is reported with
 * the plan); `relGap: 0` asks for a proof of optimality (the brute-force tests do).
 */
export const REL_GAP = 0.005;

export interface OptimizerItem {
  id: string;
  priceMinor: number;
  owned: boolean;
}

export interface Candidate {
  /** Item ids, in a fixed order. */
  items: string[];
  quality: number;
}

export interface PlanProblem {
  items: ReadonlyMap<string, OptimizerItem>;
  candidates: readonly Candidate[];
  outfitCount: number;
  budgetMinor: number;
  include: readonly string[];
}

export interface PlanSolution {
  /** optimal: proven best; within_gap: proven within REL_GAP of the best; feasible: stopped at the node limit. */
  status: "optimal" | "within_gap" | "feasible";
  outfits: Candidate[];
  itemIds: string[];
  spentMinor: number;
  objective: number;
  /** The best bound proven: no plan can score more (for `minCost`: no plan costs less). */
  bound: number;
  /** (bound − objective) / |objective|: how far from the best possible the plan can be, at most. */
  gap: number;
  timeMs: number;
  variables: number;
  constraints: number;
  /** Branch-and-bound nodes explored. */
  nodes: number;
}

export type SolveResult = { ok: true; solution: PlanSolution } | { ok: false; reason: "infeasible" | "limit" };

/** The objective of a set of chosen outfits, exactly as the program scores it. */
export function objectiveOf(problem: Pick<PlanProblem, "items" | "budgetMinor">, outfits: readonly Candidate[]): number {
  const chosen = new Set(outfits.flatMap((o) => o.items));
  let value = outfits.reduce((sum, o) => sum + o.quality, 0);
  for (const id of chosen) value += itemTerm(problem.items.get(id)!, problem.budgetMinor);
  return value;
}

function itemTerm(item: OptimizerItem, budgetMinor: number): number {
  if (item.owned) return WEIGHTS.OWNED_ITEM;
  return -WEIGHTS.NEW_ITEM - (WEIGHTS.SPEND * item.priceMinor) / Math.max(budgetMinor, 1);
}

/** Solves the plan. `objective` picks what is optimised: the plan (default), or the numbers that explain an impossible request. */
export async function solvePlan(
  problem: PlanProblem,
  objective: "plan" | "maxOutfits" | "minCost" = "plan",
  options: { timeLimitSeconds?: number; maxNodes?: number; relGap?: number } = {},
): Promise<SolveResult> {
  if (problem.candidates.length === 0 || (objective !== "maxOutfits" && problem.candidates.length < problem.outfitCount)) {
    return { ok: false, reason: "infeasible" };
  }
  const itemIds = [...new Set(problem.candidates.flatMap((c) => c.items))].sort();
  const index = new Map(itemIds.map((id, i) => [id, i]));
  const nItems = itemIds.length;
  const nCols = nItems + problem.candidates.length;
  const colCost: number[] = [];
  for (const id of itemIds) {
    const item = problem.items.get(id)!;
    colCost.push(objective === "plan" ? itemTerm(item, problem.budgetMinor) : objective === "minCost" ? (item.owned ? 0 : item.priceMinor) : 0);
  }
  for (const c of problem.candidates) colCost.push(objective === "plan" ? c.quality : objective === "maxOutfits" ? 1 : 0);
  const colLower = new Array<number>(nCols).fill(0);
  const colUpper = new Array<number>(nCols).fill(1);
  const include = problem.include.filter((id) => index.has(id));
  if (include.length < problem.include.length) return { ok: false, reason: "infeasible" };
  for (const id of include) colLower[index.get(id)!] = 1;

  // Rows, as CSR.
  const starts: number[] = [0];
  const indices: number[] = [];
  const values: number[] = [];
  const rowLower: number[] = [];
  const rowUpper: number[] = [];
  const row = (entries: Array<[number, number]>, lower: number, upper: number) => {
    for (const [col, value] of entries) {
      indices.push(col);
      values.push(value);
    }
    starts.push(indices.length);
    rowLower.push(lower);
    rowUpper.push(upper);
  };
  problem.candidates.forEach((c, o) => {
    for (const id of c.items) row([[nItems + o, 1], [index.get(id)!, -1]], -Infinity, 0);
  });
  // An item rewarded for being in the plan (an owned one) counts only when some chosen outfit wears it.
  itemIds.forEach((id, i) => {
    if (colCost[i]! <= 0) return;
    const wearing = problem.candidates.flatMap((c, o) => (c.items.includes(id) ? [[nItems + o, -1] as [number, number]] : []));
    row([[i, 1], ...wearing], -Infinity, 0);
  });
  const allOutfits = problem.candidates.map((_, o) => [nItems + o, 1] as [number, number]);
  if (objective === "maxOutfits") row(allOutfits, 0, problem.outfitCount);
  else row(allOutfits, problem.outfitCount, problem.outfitCount);
  if (objective !== "minCost") {
    const priced = itemIds.map((id, i) => [i, problem.items.get(id)!.owned ? 0 : problem.items.get(id)!.priceMinor] as [number, number]).filter(([, p]) => p > 0);
    row(priced, -Infinity, problem.budgetMinor);
  }
  // Symmetry: a piece another can always stand in for is never taken without it.
  for (const [dominated, by] of dominancePairs(problem, itemIds, colCost, objective, new Set(include))) row([[index.get(dominated)!, 1], [index.get(by)!, -1]], -Infinity, 0);
  for (const id of include) {
    const containing = problem.candidates.flatMap((c, o) => (c.items.includes(id) ? [[nItems + o, 1] as [number, number]] : []));
    row(containing, 1, Infinity);
  }

  // A start: the greedy plan, when it is a whole feasible plan. HiGHS then only has to improve and prove.
  let start: number[] | null = null;
  if (objective === "plan") {
    const greedy = greedyPlan(problem);
    if (greedy.outfits.length === problem.outfitCount && problem.include.every((id) => greedy.outfits.some((o) => o.items.includes(id)))) {
      const chosen = new Set(greedy.outfits);
      const used = new Set(greedy.outfits.flatMap((o) => o.items));
      start = [...itemIds.map((id) => (used.has(id) ? 1 : 0)), ...problem.candidates.map((c) => (chosen.has(c) ? 1 : 0))];
    }
  }
  const started = performance.now();
  const result = await solveMip(
    {
      numCols: nCols,
      numRows: rowLower.length,
      sense: objective === "minCost" ? "min" : "max",
      colCost,
      colLower,
      colUpper,
      rowLower,
      rowUpper,
      starts,
      indices,
      values,
      start,
    },
    {
      output_flag: false,
      time_limit: options.timeLimitSeconds ?? TIME_LIMIT_SECONDS,
      mip_max_nodes: options.maxNodes ?? MAX_NODES,
      random_seed: 1,
      mip_rel_gap: options.relGap ?? REL_GAP,
      mip_abs_gap: 1e-9,
      // Measured on this workload (bench/plan-bench.ts): the root node's presolve, heuristics and a
      // large cut pool cost seconds in WebAssembly while the LP relaxation takes milliseconds. Over the
      // bench's 72 plans, presolve made 10-outfit plans 2-3× slower; for the counts that explain an
      // impossible request it pays: the most outfits within $300 in January, 4.4 → 1.6 s.
      presolve: objective === "plan" ? "off" : "on",
      mip_heuristic_effort: 0,
      mip_pool_soft_limit: 10,
      // RENS and RINS still ran at the root with effort 0: sub-MIPs, nested up to 10 deep, that took
      // 1.2 of the 1.8 s of a 10-outfit plan. Without them, over the bench's 72 problems: 90 → 63 s in
      // all, p50 904 → 342 ms, and the plans score the same or better.
      mip_heuristic_run_rens: false,
      mip_heuristic_run_rins: false,
      // Branch on pseudocosts from the first node instead of strong-branching each candidate until its
      // pseudocost is reliable: on these programs strong branching was 37,658 of a solve's 42,672 LP
      // iterations (30 outfits at $300, 19 nodes in 3.6 s). Over the bench's 72 problems, solved in one
      // process before and after: 63 → 36 s in all; 30 outfits at $300, p50 2.8 → 1.4 s and p95
      // 6.3 → 2.1 s; the plans score the same or better (objective sum 9095.3 → 9099.7).
      mip_pscost_minreliable: 0,
      // Cuts are separated at the root only. At the other nodes they cost more LP work than they saved
      // nodes (30 outfits at $300 in October: 451 → 419 nodes, 2.6 → 1.9 s). Over the bench's 144
      // problems, the same objective sum (14216.7 → 14216.8); p95 of 30 outfits at $300, 3.1 → 2.3 s
      // (office) and 0.8 → 0.5 s (newcomer); of 10 at $300, 2.6 → 2.0 s and 1.1 → 0.75 s.
      mip_allow_cut_separation_at_nodes: false,
    },
  );
  if (result.status === "infeasible") return { ok: false, reason: "infeasible" };
  if (!result.solution) return { ok: false, reason: "limit" };
  const { x, objective: objectiveValue, bound, nodes } = result.solution;
  const chosen = problem.candidates.filter((_, o) => x[nItems + o]! > 0.5);
  const used = new Set(chosen.flatMap((c) => c.items));
  const itemsInPlan = itemIds.filter((id) => used.has(id));
  const gap = Number.isFinite(bound) ? Math.abs(bound - objectiveValue) / Math.max(Math.abs(objectiveValue), 1e-9) : 1;
  const proven = result.status === "optimal" && gap <= 1e-6;
  return {
    ok: true,
    solution: {
      status: proven ? "optimal" : result.status === "optimal" ? "within_gap" : "feasible",
      outfits: chosen,
      itemIds: itemsInPlan,
      spentMinor: itemsInPlan.reduce((sum, id) => sum + (problem.items.get(id)!.owned ? 0 : problem.items.get(id)!.priceMinor), 0),
      objective: objectiveValue,
      bound: Number.isFinite(bound) ? bound : objectiveValue,
      gap,
      timeMs: Math.round(performance.now() - started),
      variables: nCols,
      constraints: rowLower.length,
      nodes,
    },
  };
}

/**
 * The baseline the benchmark compares against: repeatedly take the candidate with the best value for
 * the money still left (quality minus the price of its new pieces, relative to the budget) until there
 * are enough outfits or nothing affordable is left.
 */
export function greedyPlan(problem: PlanProblem): { outfits: Candidate[]; spentMinor: number } {
  const chosen: Candidate[] = [];
  const owned = new Set<string>();
  let spent = 0;
  const remaining = [...problem.candidates];
  while (chosen.length < problem.outfitCount) {
    let best = -1;
    let bestValue = -Infinity;
    for (let o = 0; o < remaining.length; o++) {
      const c = remaining[o]!;
      const extra = c.items.reduce((sum, id) => sum + (owned.has(id) || problem.items.get(id)!.owned ? 0 : problem.items.get(id)!.priceMinor), 0);
      if (spent + extra > problem.budgetMinor) continue;
      const value = c.quality - (WEIGHTS.SPEND * extra) / Math.max(problem.budgetMinor, 1) - WEIGHTS.NEW_ITEM * c.items.filter((id) => !owned.has(id) && !problem.items.get(id)!.owned).length;
      if (value > bestValue) {
        bestValue = value;
        best = o;
      }
    }
    if (best < 0) break;
    const c = remaining.splice(best, 1)[0]!;
    for (const id of c.items) {
      if (!owned.has(id) && !problem.items.get(id)!.owned) spent += problem.items.get(id)!.priceMinor;
      owned.add(id);
    }
    chosen.push(c);
  }
  return { outfits: chosen, spentMinor: spent };
}

/**
 * Pairs [i, j] where item j can always stand in for item i: every candidate outfit holding i exists with
 * j in its place, scoring at least as much, and j costs no more (in the budget and in the objective).
 * Then some best plan never takes i without j (swap i for j in a plan that does: still valid, no worse),
 * so x_i ≤ x_j is a valid cut. Pieces that stand in for each other are ordered by id, which keeps the
 * pairs acyclic. Included items are never the one replaced. Measured on bench/plan-bench.ts's problems
 * (24 of them, 10 and 30 outfits): 44 → 33 s of solving in all; it cuts the symmetric branches (two
 * plain white tees at different prices) that HiGHS would otherwise explore both ways.
 */
export function dominancePairs(problem: PlanProblem, itemIds: readonly string[], colCost: readonly number[], objective: "plan" | "maxOutfits" | "minCost", included: ReadonlySet<string>): Array<[string, string]> {
  const partners = new Map<string, Map<string, number>>(itemIds.map((id) => [id, new Map()]));
  for (const c of problem.candidates) {
    for (const id of c.items) partners.get(id)!.set(c.items.filter((other) => other !== id).join("|"), c.quality);
  }
  const better = (a: number, b: number) => (objective === "minCost" ? a <= b : a >= b);
  const budgetCost = (id: string) => (problem.items.get(id)!.owned ? 0 : problem.items.get(id)!.priceMinor);
  const pairs: Array<[string, string]> = [];
  itemIds.forEach((i, a) => {
    if (included.has(i)) return;
    const mine = partners.get(i)!;
    itemIds.forEach((j, b) => {
      if (i === j || !better(colCost[b]!, colCost[a]!) || budgetCost(j) > budgetCost(i)) return;
      const theirs = partners.get(j)!;
      if (theirs.size < mine.size) return;
      for (const [key, quality] of mine) {
        const q = theirs.get(key);
        if (q === undefined || (objective === "plan" && q < quality)) return;
      }
      // Pieces that stand in for each other (the same outfits, quality and cost): the lower id stands in.
      const mutual = theirs.size === mine.size && colCost[a] === colCost[b] && budgetCost(i) === budgetCost(j) && [...theirs].every(([key, q]) => mine.get(key) === q || objective !== "plan" && mine.has(key));
      if (mutual && j > i) return;
      pairs.push([i, j]);
    });
  });
  return pairs;
}
