import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite and HiGHS ship WASM next to their JS; bundling them breaks their relative paths.
  serverExternalPackages: ["word-list", "@electric-sql/pglite", "highs", "pino", "postgres", "sharp", "@vladmandic/human"],
  poweredByHeader: false,
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
