import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";

/**
 * HiGHS runs synchronously: a solve of a few seconds would freeze every other request of this process.
 * So solves run on one worker thread per process, one at a time, and the request's event loop only waits.
 *
 * The worker is plain CommonJS evaluated from a string and loads the `highs` package by its resolved
 * path: nothing to bundle, and the same in Next, Vitest and the bench.
 */

export interface MipModel {
  numCols: number;
  numRows: number;
  sense: "max" | "min";
  colCost: number[];
  colLower: number[];
  colUpper: number[];
  /** ±Infinity for a missing bound. */
  rowLower: number[];
  rowUpper: number[];
  starts: number[];
  indices: number[];
  values: number[];
  /** A feasible start (one value per column), or null. */
  start: number[] | null;
}

export interface MipResult {
  status: "optimal" | "infeasible" | "stopped";
  /** Present when a primal solution exists (optimal, or the best found when stopped). */
  solution?: { x: number[]; objective: number; bound: number; nodes: number };
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const loaded = require(workerData.highsPath);
const ready = (loaded.default || loaded)();
parentPort.on("message", async ({ id, model, options }) => {
  try {
    const h = await ready;
    const bound = (v) => (v === Infinity ? h.infinity : v === -Infinity ? -h.infinity : v);
    const result = h.withModel(
      {
        numCols: model.numCols,
        numRows: model.numRows,
        sense: model.sense === "max" ? h.constants.objectiveSense.maximize : h.constants.objectiveSense.minimize,
        colCost: model.colCost,
        colLower: model.colLower,
        colUpper: model.colUpper,
        rowLower: model.rowLower.map(bound),
        rowUpper: model.rowUpper.map(bound),
        matrix: { format: "csr", numRows: model.numRows, numCols: model.numCols, starts: model.starts, indices: model.indices, values: model.values },
        integrality: new Array(model.numCols).fill(h.constants.variableType.integer),
      },
      (m) => {
        m.options.set(options);
        if (model.start) m.setSolution({ colValue: model.start });
        m.run();
        const status = m.getModelStatus();
        const S = h.constants.modelStatus;
        if (status === S.infeasible) return { status: "infeasible" };
        let primal = 0;
        try { primal = Number(m.info.get("primal_solution_status")); } catch {}
        const out = { status: status === S.optimal ? "optimal" : "stopped" };
        if (status === S.optimal || primal === 2) {
          out.solution = {
            x: Array.from(m.getSolution().colValue),
            objective: m.getObjectiveValue(),
            bound: Number(m.info.get("mip_dual_bound")),
            nodes: Number(m.info.get("mip_node_count")),
          };
        }
        return out;
      },
    );
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message ? error.message : error) });
  }
});
`;

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, { resolve: (r: MipResult) => void; reject: (e: Error) => void }>();

function solver(): Worker {
  if (worker) return worker;
  // Resolved from the app's root: bundled server code has no usable import.meta.url.
  const highsPath = createRequire(path.join(process.cwd(), "package.json")).resolve("highs");
  const created = new Worker(WORKER_SOURCE, { eval: true, workerData: { highsPath } });
  created.unref(); // an idle solver never keeps a process (a test run, the bench) alive
  created.on("message", (message: { id: number; result?: MipResult; error?: string }) => {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (pending.size === 0) created.unref();
    if (message.error !== undefined) waiter?.reject(new Error(`HiGHS failed: ${message.error}`));
    else waiter?.resolve(message.result!);
  });
  created.on("error", (error) => {
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
    worker = undefined;
  });
  created.on("exit", () => {
    worker = undefined;
  });
  worker = created;
  return created;
}

/** Solves a 0-1 program on the solver thread. Requests are queued and solved one at a time. */
export function solveMip(model: MipModel, options: Record<string, string | number | boolean>): Promise<MipResult> {
  const thread = solver();
  const id = nextId++;
  return new Promise<MipResult>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    thread.ref(); // keep the process alive while a solve is outstanding
    thread.postMessage({ id, model, options });
  });
}
