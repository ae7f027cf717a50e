// The pose model's thread (worker_threads): MoveNet Lightning (body keypoints) and BlazeFace (people
// counted by their faces) through @vladmandic/human on TensorFlow.js's WebAssembly backend. Weights
// and WASM come from the installed npm packages; nothing is downloaded. Plain CommonJS on purpose:
// Node loads it as it is, under Next, Vitest and the worker command alike.
"use strict";
const { parentPort } = require("node:worker_threads");
const { readFile } = require("node:fs/promises");
const { fileURLToPath } = require("node:url");
const path = require("node:path");

// human's Node WASM build reads its models with fetch(), which Node cannot do for file:// URLs.
// Only this thread's fetch is wrapped, and only file:// URLs inside the model folder are served.
const humanDir = path.dirname(path.dirname(require.resolve("@vladmandic/human")));
const modelDir = path.join(humanDir, "models");
const networkFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = typeof input === "string" ? input : input.url;
  if (url.startsWith("file://")) {
    const file = fileURLToPath(url);
    if (!file.startsWith(modelDir + path.sep)) throw new Error("model files only");
    return new Response(await readFile(file));
  }
  return networkFetch(input, init);
};

const wasm = require("@tensorflow/tfjs-backend-wasm");
const wasmDir = path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm")) + path.sep;
wasm.setWasmPaths(wasmDir);
// The package's exports map does not expose its Node WASM build by name: load it by path.
const { Human } = require(path.join(humanDir, "dist", "human.node-wasm.js"));

const human = new Human({
  backend: "wasm",
  wasmPath: wasmDir,
  modelBasePath: "file://" + modelDir + "/",
  debug: false,
  warmup: "none",
  cacheSensitivity: 0,
  filter: { enabled: false },
  face: {
    enabled: true,
    detector: { modelPath: "blazeface.json", maxDetected: 5, rotation: false, minConfidence: 0.5, return: false },
    mesh: { enabled: false },
    iris: { enabled: false },
    description: { enabled: false },
    emotion: { enabled: false },
    antispoof: { enabled: false },
    liveness: { enabled: false },
  },
  body: { enabled: true, modelPath: "movenet-lightning.json", maxDetected: 1, minConfidence: 0.1 },
  hand: { enabled: false },
  object: { enabled: false },
  gesture: { enabled: false },
  segmentation: { enabled: false },
});

const ready = human.load();

parentPort.on("message", async (message) => {
  const { id, rgb, width, height } = message;
  try {
    await ready;
    const tensor = human.tf.tensor4d(new Uint8Array(rgb), [1, height, width, 3], "int32");
    let result;
    try {
      result = await human.detect(tensor);
    } finally {
      human.tf.dispose(tensor);
    }
    const body = result.body[0];
    parentPort.postMessage({
      id,
      ok: true,
      width,
      height,
      faces: result.face.length,
      bodyScore: body ? body.score : 0,
      keypoints: body ? body.keypoints.map((k) => ({ part: k.part, score: k.score, x: k.position[0], y: k.position[1] })) : [],
    });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: String(error && error.message ? error.message : error) });
  }
});
