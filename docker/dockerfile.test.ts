import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { validate } from "dockerfile-utils";
import { describe, expect, it } from "vitest";

/**
 * The Dockerfile, linted with dockerfile-utils (the validator behind VS Code's Dockerfile support; Docker
 * and hadolint cannot run here), and held to what production needs. e2e/image.spec.ts runs the commands.
 */
const dockerfile = readFileSync(path.join(process.cwd(), "Dockerfile"), "utf8");
const ignore = readFileSync(path.join(process.cwd(), ".dockerignore"), "utf8").split("\n");

describe("the Dockerfile", () => {
  it("lints clean", () => {
    const problems = validate(dockerfile, {});
    expect(problems.map((p) => `${p.range.start.line + 1}: ${p.message}`)).toEqual([]);
  });

  it("builds in stages and runs as a non-root user with a health check, without dev dependencies or secrets", () => {
    const stages = [...dockerfile.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1]);
    expect(stages).toEqual(["deps", "build", "prod-deps", "runtime"]);
    const runtime = dockerfile.slice(dockerfile.indexOf("AS runtime"));
    expect(runtime).toMatch(/^USER app$/m);
    expect(runtime).not.toMatch(/^USER root/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n?.*\/api\/health/m);
    expect(runtime).toMatch(/COPY --from=prod-deps .*node_modules/);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).not.toMatch(/^(ENV|ARG)\s+.*(SECRET|PASSWORD|TOKEN|STRIPE|AUTH0|DATABASE_URL)/im);
    expect(runtime).toMatch(/^ENTRYPOINT \["\/usr\/local\/bin\/stylist"\]$/m);
    expect(runtime).toMatch(/^CMD \["web"\]$/m);
  });

  it("keeps local data, secrets and build output out of the build context", () => {
    for (const entry of [".git", "node_modules", ".next", ".data", ".env", ".env*", "infra/cdk.out"]) expect(ignore).toContain(entry);
  });

  it("has exactly three commands", () => {
    const usage = spawnSync("sh", ["docker/entrypoint.sh", "nonsense"], { encoding: "utf8" });
    expect(usage.status).toBe(64);
    expect(usage.stderr).toContain("usage: stylist web | worker | migrate");
  });
});
