import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files next to its JS; bundling it breaks their relative paths.
  serverExternalPackages: ["@electric-sql/pglite", "pino", "postgres"],
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
