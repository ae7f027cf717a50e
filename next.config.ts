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
  // `npm run dev` prints http://127.0.0.1:3000, while links, images and the CSP's 'self' are
  // APP_BASE_URL's (http://localhost:3000 unless set). A browser on the other loopback name had every
  // product image and the sign-in form blocked by the CSP, so in development site pages move over. Not
  // from proxy.ts: Next makes a redirect between localhost and 127.0.0.1 relative there, which loops.
  // The machine doors (/mcp, /api…) answer on either name.
  async redirects() {
    if (process.env.NODE_ENV !== "development") return [];
    const base = new URL(process.env.APP_BASE_URL ?? "http://localhost:3000");
    const other = base.hostname === "localhost" ? "127.0.0.1" : base.hostname === "127.0.0.1" ? "localhost" : null;
    if (!other) return [];
    return [
      {
        source: "/:path((?!mcp|api/|\\.well-known|webhooks|images/|assets/|_next/).*)",
        has: [{ type: "host", value: other }],
        destination: `${base.origin}/:path`,
        permanent: false,
      },
    ];
  },
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
