/**
 * npm run build:commands: the image's non-web commands as plain JavaScript (no tsx at run time, no dev
 * dependencies): dist/worker.mjs (`npm run worker`) and dist/migrate.mjs (`npm run db:migrate`).
 * Packages stay external (the image ships production node_modules); the `@/` alias is resolved here.
 */
import { build } from "esbuild";

for (const [entry, out] of [
  ["scripts/worker.ts", "dist/worker.mjs"],
  ["db/migrate.ts", "dist/migrate.mjs"],
] as const) {
  await build({
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    tsconfig: "tsconfig.json",
    logLevel: "warning",
  });
  console.log(`command ${out}`);
}
