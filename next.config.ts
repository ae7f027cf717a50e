import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files next to its JS; bundling it breaks their relative paths.
  serverExternalPackages: ["@electric-sql/pglite", "pino", "postgres"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
