import path from "node:path";
import { Worker } from "node:worker_threads";

export interface Keypoint {
  part: string;
  score: number;
  x: number;
  y: number;
}

export interface PoseResult {
  width: number;
  height: number;
  faces: number;
  bodyScore: number;
  keypoints: Keypoint[];
}

/**
 * The pose model, in its own thread so that a 30 ms inference never blocks the requests of the event
 * loop. One worker per process (the WASM backend is single-threaded; two cores serve two processes);
 * calls queue in order. Started on first use.
 */
export class PoseModel {
  private worker: Worker | null = null;
  private next = 0;
  private pending = new Map<number, { resolve: (r: PoseResult) => void; reject: (e: Error) => void }>();

  private start(): Worker {
    if (this.worker) return this.worker;
    // process.cwd(): the app's root under Next, Vitest and the worker command (Next bundles this module,
    // so its own location says nothing about where the worker's file is).
    // Loaded by Node as it is, through a one-line bootstrap: a bundler must neither follow nor bundle it.
    const file = path.join(process.cwd(), "server", "photos", "pose-worker.cjs");
    const worker = new Worker(`require(${JSON.stringify(file)});`, { eval: true });
    worker.unref();
    worker.on("message", (m: { id: number; ok: boolean; error?: string } & PoseResult) => {
      const call = this.pending.get(m.id);
      if (!call) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) worker.unref();
      if (m.ok) call.resolve({ width: m.width, height: m.height, faces: m.faces, bodyScore: m.bodyScore, keypoints: m.keypoints });
      else call.reject(new Error(`pose model: ${m.error}`));
    });
    const fail = (error: Error) => {
      for (const call of this.pending.values()) call.reject(error);
      this.pending.clear();
      this.worker = null;
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`pose model thread exited (${code})`)));
    this.worker = worker;
    return worker;
  }

  detect(rgb: Buffer, width: number, height: number): Promise<PoseResult> {
    const worker = this.start();
    const id = ++this.next;
    const copy = new Uint8Array(rgb).buffer;
    return new Promise<PoseResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, rgb: copy, width, height }, [copy]);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }
}

const holder = globalThis as unknown as { __stylistPose?: PoseModel };
/** The process's pose model (kept on globalThis: Next's dev reloads re-evaluate modules). */
export function poseModel(): PoseModel {
  return (holder.__stylistPose ??= new PoseModel());
}

// ---- the full-body rule ---------------------------------------------------------------------------

/** A keypoint counts when the model is at least this sure of it. */
export const MIN_KEYPOINT_SCORE = 0.3;
/** Head-to-ankle height as a share of the frame's height. */
export const MIN_PERSON_HEIGHT = 0.45;
/** A keypoint this close to the frame's edge (share of the side) may be cut off. */
const EDGE = 0.01;

export interface ValidationReport {
  status: "approved" | "rejected";
  /** Machine-readable reasons; empty when approved. */
  failures: Array<
    | "no_person"
    | "more_than_one_person"
    | "head_not_visible"
    | "left_ankle_not_visible"
    | "right_ankle_not_visible"
    | "not_upright"
    | "person_too_small"
  >;
  /** The reason in words, for the user. */
  reason: string;
  scores: { body: number; head: number; leftAnkle: number; rightAnkle: number; personHeight: number };
  faces: number;
  /** The keypoints (in the validated image's pixels), kept for the try-on renderer. */
  keypoints: Keypoint[];
}

const WORDS: Record<ValidationReport["failures"][number], string> = {
  no_person: "no person was found",
  more_than_one_person: "more than one person is in the photo",
  head_not_visible: "the head is not clearly in the frame",
  left_ankle_not_visible: "the left ankle is not in the frame",
  right_ankle_not_visible: "the right ankle is not in the frame",
  not_upright: "the person is not standing upright (head above hips above ankles)",
  person_too_small: "the person is too small in the frame: step closer so head to feet fill at least half of it",
};

/** Head and both ankles inside the frame and confident, upright, tall enough, one person. */
export function judgeFullBody(pose: PoseResult): ValidationReport {
  const at = (part: string) => pose.keypoints.find((k) => k.part === part);
  const inside = (k: Keypoint | undefined) =>
    !!k && k.score >= MIN_KEYPOINT_SCORE && k.x > pose.width * EDGE && k.x < pose.width * (1 - EDGE) && k.y > pose.height * EDGE && k.y < pose.height * (1 - EDGE);
  const headParts = ["nose", "leftEye", "rightEye", "leftEar", "rightEar"].map(at).filter((k): k is Keypoint => !!k);
  const head = headParts.filter(inside).sort((a, b) => b.score - a.score)[0];
  const leftAnkle = at("leftAnkle");
  const rightAnkle = at("rightAnkle");
  const hips = [at("leftHip"), at("rightHip")].filter((k): k is Keypoint => !!k && k.score >= MIN_KEYPOINT_SCORE);
  const failures: ValidationReport["failures"] = [];
  const personHeight = head && inside(leftAnkle) && inside(rightAnkle) ? (Math.max(leftAnkle!.y, rightAnkle!.y) - head.y) / pose.height : 0;

  if (pose.keypoints.length === 0 || pose.bodyScore < 0.2) failures.push("no_person");
  else {
    if (pose.faces > 1) failures.push("more_than_one_person");
    if (!head) failures.push("head_not_visible");
    if (!inside(leftAnkle)) failures.push("left_ankle_not_visible");
    if (!inside(rightAnkle)) failures.push("right_ankle_not_visible");
    if (head && inside(leftAnkle) && inside(rightAnkle)) {
      const hipY = hips.length ? hips.reduce((s, k) => s + k.y, 0) / hips.length : null;
      const ankleY = Math.min(leftAnkle!.y, rightAnkle!.y);
      if (!(hipY !== null && head.y < hipY && hipY < ankleY)) failures.push("not_upright");
      else if (personHeight < MIN_PERSON_HEIGHT) failures.push("person_too_small");
    }
  }
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return {
    status: failures.length === 0 ? "approved" : "rejected",
    failures,
    reason: failures.length === 0 ? "a full-body photo: head to feet in the frame, standing, one person" : `Not a usable full-body photo: ${failures.map((f) => WORDS[f]).join("; ")}.`,
    scores: {
      body: round(pose.bodyScore),
      head: round(head?.score ?? Math.max(0, ...headParts.map((k) => k.score))),
      leftAnkle: round(leftAnkle?.score ?? 0),
      rightAnkle: round(rightAnkle?.score ?? 0),
      personHeight: round(personHeight),
    },
    faces: pose.faces,
    keypoints: pose.keypoints.map((k) => ({ part: k.part, score: round(k.score), x: Math.round(k.x), y: Math.round(k.y) })),
  };
}
