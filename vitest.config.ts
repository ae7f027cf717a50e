import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname) };

/**
 * Three projects: pure unit tests beside their files, and the integration suite in tests/ twice, once
 * against the machine's Postgres (a fresh database per file) and once against embedded PGlite. The door
 * suites (tests/doors/: auth, contract, HTTP guards, fuzzing) do not depend on the driver: Postgres only.
 */
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: "unit", include: ["{server,db,docker}/**/*.test.ts"], environment: "node" },
      },
      {
        resolve: { alias },
        test: {
          name: "postgres",
          include: ["tests/**/*.test.ts"],
          env: { TEST_DB: "postgres" },
          globalSetup: ["tests/support/global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "pglite",
          include: ["tests/**/*.test.ts"],
          exclude: ["tests/doors/**"],
          env: { TEST_DB: "pglite" },
          globalSetup: ["tests/support/global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
