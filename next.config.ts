import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite and HiGHS ship WASM next to their JS; bundling them breaks their relative paths.
  serverExternalPackages: ["word-list", "@electric-sql/pglite", "highs", "pino", "postgres", "sharp", "@vladmandic/human"],
  poweredByHeader: false,
  // The container image runs .next/standalone/server.js (Dockerfile); `next start` serves the same build.
  output: "standalone",
  // Files the app opens by path at run time, which the tracer cannot see: migrations, the pose model's
  // thread and its models and WASM.
  outputFileTracingIncludes: {
    "/**": [
      "./db/migrations/**",
      "./server/photos/pose-worker.cjs",
      "./node_modules/@vladmandic/human/models/movenet-lightning.*",
      "./node_modules/@vladmandic/human/models/blazeface.*",
      "./node_modules/@vladmandic/human/dist/human.node-wasm.js",
      "./node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm",
    ],
  },
  typedRoutes: false,
  // Pages get their CSP (with a per-request nonce) and HSTS from proxy.ts; these hold for every response.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

export default nextConfig;
