/**
 * npm run bench:plan: how fast and how good the planner is, against a greedy baseline.
 *
 * Uses the machine's Postgres with BENCH_PRODUCTS generated products (default 100,000; the database is
 * kept between runs). For 10 and 30 outfits, three budgets and the twelve months (the seasons change the
 * pool and winter adds outerwear), it builds the candidate pool (up to ~10,000 items), preselects, solves
 * the program with HiGHS and runs the greedy baseline on the same candidates. Prints p50/p95 times, how
 * often optimality was proven and the worst gap, and what the exact plan gains over greedy, for two people:
 * one with sizes, style tags and office goals, and a newcomer who set only a budget. Asserts nothing.
 */
import { openPostgres } from "../db/client";
import { greedyPlan, objectiveOf, solvePlan } from "../server/planning/optimizer";
import { solveMip } from "../server/planning/highs-worker";
import { buildPlanProblem, personFromProfile, planOutfits, type Person } from "../server/planning/planner";
import { catalogIndexFor } from "../server/search/index";
import { preparePostgresDatabase } from "../tests/support/postgres";
import { percentile, table } from "./report";

const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 100_000);
const MONTHS = (process.env.BENCH_MONTHS ?? "01,02,03,04,05,06,07,08,09,10,11,12").split(",").map((m) => `2026-${m}`);
const COUNTS = [10, 30];
const BUDGETS = [300, 600, 1200];

const GOALS = ["office wardrobe"];
const PEOPLE = (process.env.BENCH_PEOPLE ?? "office,newcomer").split(",");

async function main() {
  const url = await preparePostgresDatabase(`stylist_bench_${PRODUCTS}`, PRODUCTS);
  const database = openPostgres(url, 4);
  // The pool is read from the catalog index (server/planning/pool.ts), loaded once per process: load it
  // before timing, as a running server has.
  const loadStarted = performance.now();
  const index = await catalogIndexFor(database.db);
  console.log(`catalog index loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);
  // Likewise the solver: its worker thread and WebAssembly module start on a process's first solve.
  const solverStarted = performance.now();
  await solveMip(
    { numCols: 1, numRows: 1, sense: "max", colCost: [1], colLower: [0], colUpper: [1], rowLower: [-Infinity], rowUpper: [1], starts: [0, 1], indices: [0], values: [1], start: null },
    { output_flag: false },
  );
  // The people as server/procedures/plan.ts reads their profiles: one whose goals name the work occasion,
  // and a newcomer who has set nothing but a budget (no sizes, style tags or goals).
  const people: Record<string, Person> = {
    office: personFromProfile(index, "bench-user", { sizes: { top: "M", waist: "32", shoe: "EU 42" }, address: null, departments: [], styleTags: ["classic", "minimalist"], goals: GOALS }),
    newcomer: personFromProfile(index, "bench-newcomer", undefined),
  };
  const chosen = PEOPLE.map((name) => [name, people[name]!] as const);
  console.log(`office: sizes M / 32 / EU 42, classic and minimalist, goals ${JSON.stringify(GOALS)} (occasions ${JSON.stringify(people.office!.goalOccasions)}); newcomer: a budget only`);
  console.log(`solver started in ${Math.round(performance.now() - solverStarted)} ms`);
  const rows: string[][] = [];
  const totals = { runs: 0, optimal: 0, overBudget: 0, objective: 0 };
  try {
    for (const [name, person] of chosen) for (const outfitCount of COUNTS) {
      for (const budget of BUDGETS) {
        const prepare: number[] = [];
        // Pool, preselection, program and solve: what a planned request takes before it is written.
        const whole: number[] = [];
        const solve: number[] = [];
        const gaps: number[] = [];
        const pools: number[] = [];
        const candidates: number[] = [];
        let optimal = 0;
        let infeasible = 0;
        // An impossible request, end to end as a user waits for it: the refusal and its numbers.
        const refusals: number[] = [];
        const refuse = async (request: Parameters<typeof planOutfits>[2]) => {
          const started = performance.now();
          await planOutfits(database.db, person, request).then(
            () => {
              throw new Error("an impossible request was planned");
            },
            () => undefined,
          );
          refusals.push(performance.now() - started);
        };
        let greedyShort = 0;
        let gain = 0;
        let compared = 0;
        let spentExact = 0;
        let spentGreedy = 0;
        // Over every month both planned something (greedy may stop short of the count).
        const perDollar = { exact: 0, greedy: 0, months: 0 };
        const affinity = { exact: 0, greedy: 0 };
        for (const month of MONTHS) {
          const started = performance.now();
          let built;
          const request = { month, budgetMinor: budget * 100, outfitCount, includeItemIds: [] };
          try {
            built = await buildPlanProblem(database.db, person, request);
          } catch {
            infeasible++;
            await refuse(request);
            continue;
          }
          prepare.push(performance.now() - started);
          pools.push(built.items.size);
          candidates.push(built.problem.candidates.length);
          const result = await solvePlan(built.problem);
          if (result.ok) whole.push(performance.now() - started);
          totals.runs++;
          if (!result.ok) {
            infeasible++;
            await refuse(request);
            continue;
          }
          const s = result.solution;
          solve.push(s.timeMs);
          totals.objective += s.objective;
          gaps.push(s.gap);
          if (s.status !== "feasible") optimal++;
          if (s.spentMinor > budget * 100) totals.overBudget++;
          const greedy = greedyPlan(built.problem);
          // Outfits per $100 of new pieces, and the person's affinity for what they wear, per outfit.
          const wornAffinity = (outfits: Array<{ items: string[] }>) =>
            outfits.reduce((sum, o) => sum + o.items.reduce((a, id) => a + built.items.get(id)!.affinity, 0), 0) / Math.max(outfits.length, 1);
          if (greedy.outfits.length > 0) {
            perDollar.exact += s.outfits.length / Math.max(s.spentMinor / 10_000, 0.01);
            perDollar.greedy += greedy.outfits.length / Math.max(greedy.spentMinor / 10_000, 0.01);
            perDollar.months++;
            affinity.exact += wornAffinity(s.outfits);
            affinity.greedy += wornAffinity(greedy.outfits);
          }
          if (greedy.outfits.length < outfitCount) greedyShort++;
          else {
            compared++;
            gain += (s.objective - objectiveOf(built.problem, greedy.outfits)) / Math.abs(objectiveOf(built.problem, greedy.outfits));
            spentExact += s.spentMinor;
            spentGreedy += greedy.spentMinor;
          }
        }
        totals.optimal += optimal;
        const runs = solve.length;
        rows.push([
          name,
          String(outfitCount),
          `$${budget}`,
          `${runs}/${MONTHS.length}`,
          `${Math.round(percentile(pools, 50))}`,
          `${Math.round(percentile(candidates, 50))}`,
          `${Math.round(percentile(prepare, 50))} / ${Math.round(percentile(prepare, 95))}`,
          `${Math.round(percentile(solve, 50))} / ${Math.round(percentile(solve, 95))}`,
          `${Math.round(percentile(whole, 50))} / ${Math.round(percentile(whole, 95))}`,
          `${optimal}/${runs}`,
          `${(Math.max(0, ...gaps) * 100).toFixed(2)}%`,
          `${greedyShort}`,
          perDollar.months ? `${(perDollar.exact / perDollar.months).toFixed(1)} vs ${(perDollar.greedy / perDollar.months).toFixed(1)}` : "-",
          perDollar.months ? `${(affinity.exact / perDollar.months).toFixed(2)} vs ${(affinity.greedy / perDollar.months).toFixed(2)}` : "-",
          compared ? `${((gain / compared) * 100).toFixed(1)}%` : "-",
          compared ? `$${(spentExact / compared / 100).toFixed(0)} vs $${(spentGreedy / compared / 100).toFixed(0)}` : "-",
        ]);
        if (infeasible) rows[rows.length - 1]![3] += ` (${infeasible} impossible, refused in ${Math.round(percentile(refusals, 50))} / ${Math.round(Math.max(...refusals))} ms p50/max)`;
      }
    }
  } finally {
    await database.close();
  }
  const header = ["person", "outfits", "budget", "planned", "pool", "candidates", "prepare p50/p95 ms", "solve p50/p95 ms", "whole p50/p95 ms", "proven ≤0.5%", "worst gap", "greedy short", "outfits per $100 exact vs greedy", "affinity per outfit exact vs greedy", "objective vs greedy", "spent exact vs greedy"];
  console.log(`\nPlanner at ${PRODUCTS.toLocaleString("en-US")} products, ${MONTHS.length} months each (winter months add outerwear)`);
  console.log(table([header, ...rows]));
  console.log(`\n${totals.optimal}/${totals.runs} solves proven within 0.5% of the best plan among the candidates; plans over budget: ${totals.overBudget}; objective sum ${totals.objective.toFixed(1)} (to compare changes to the scoring-neutral parts: preselection, solver settings).`);
  console.log("greedy short = months where greedy could not reach the outfit count within the budget but the exact plan did;");
  console.log("outfits per $100 = outfits planned per $100 of new pieces; affinity per outfit = how much the person should like what each outfit wears (ratings, style tags, goals); both averaged over the months both planned something;");
  console.log("objective vs greedy = how much higher the exact plan scores (affinity, versatility, money left) where both succeeded.");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
