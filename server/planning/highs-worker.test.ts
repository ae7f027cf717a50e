import { describe, expect, it } from "vitest";
import { solveMip } from "./highs-worker";

describe("solveMip", () => {
  it("solves on its own thread: the event loop keeps turning while HiGHS works, and the answer is right", async () => {
    // max Σ v_i x_i with Σ w_i x_i ≤ 26: a knapsack, checked against every subset.
    const weights = [12, 7, 11, 8, 9, 6, 14, 5];
    const values = [24, 13, 23, 15, 16, 11, 27, 9];
    const model = {
      numCols: weights.length,
      numRows: 1,
      sense: "max" as const,
      colCost: values,
      colLower: weights.map(() => 0),
      colUpper: weights.map(() => 1),
      rowLower: [-Infinity],
      rowUpper: [26],
      starts: [0, weights.length],
      indices: weights.map((_, i) => i),
      values: weights,
      start: null,
    };
    const order: string[] = [];
    // Scheduled before the call: a solve on this thread would have finished (and its promise settled)
    // before the loop turned once; on the solver thread, the loop turns first.
    setImmediate(() => order.push("loop turned"));
    const result = await solveMip(model, { output_flag: false }).then((r) => (order.push("solved"), r));
    expect(order).toEqual(["loop turned", "solved"]);
    expect(result.status).toBe("optimal");
    let best = 0;
    for (let mask = 0; mask < 1 << weights.length; mask++) {
      let w = 0;
      let v = 0;
      for (let i = 0; i < weights.length; i++) if (mask & (1 << i)) (w += weights[i]!), (v += values[i]!);
      if (w <= 26) best = Math.max(best, v);
    }
    expect(result.solution!.objective).toBe(best);
  });
});
