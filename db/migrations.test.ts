import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

describe("migrations", () => {
  it("agree with the schema: drizzle-kit generates nothing new", () => {
    // drizzle-kit wants a path relative to the project; .data/ is git-ignored scratch space.
    mkdirSync(path.join(process.cwd(), ".data"), { recursive: true });
    const dir = path.relative(process.cwd(), mkdtempSync(path.join(process.cwd(), ".data", "migration-check-")));
    try {
      cpSync(path.join(process.cwd(), "db", "migrations"), dir, { recursive: true });
      const before = readdirSync(dir).length;
      const output = execFileSync(
        process.execPath,
        [path.join(process.cwd(), "node_modules", "drizzle-kit", "bin.cjs"), "generate", "--dialect", "postgresql", "--schema", "./db/schema/index.ts", "--out", dir],
        { cwd: process.cwd(), encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
      );
      expect(output).toContain("No schema changes");
      expect(readdirSync(dir).length).toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
