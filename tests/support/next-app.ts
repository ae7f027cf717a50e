import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { startIdentityProvider, type TestIdentityProvider } from "./oidc";

/** A production build of the app started with `next start` in oauth mode, with its own loopback identity provider. */
export interface RunningNextApp {
  url: string;
  idp: TestIdentityProvider;
  /** stdout and stderr so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** `npm run build` (the widgets' bundles, then Next) unless a build is there already and `force` is off. */
export function buildIfNeeded(force: boolean): void {
  if (!force && existsSync(".next/BUILD_ID")) return;
  const build = spawnSync("npm", ["run", "build"], { stdio: "inherit" }); // the build script turns telemetry off
  if (build.status !== 0) throw new Error("npm run build failed");
}

export async function startNextApp(options: { databaseUrl: string; logLevel?: string }): Promise<RunningNextApp> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const idp = await startIdentityProvider({ audience: `${url}/mcp`, appBaseUrl: url });
  const app = spawn("npx", ["next", "start", "-H", "127.0.0.1", "-p", String(port)], {
    // Its own process group, so stopping it also stops the next-server process npx starts.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      AUTH_MODE: "oauth",
      APP_BASE_URL: url,
      AUTH0_DOMAIN: idp.domain,
      AUTH0_CLIENT_ID: idp.siteClient.clientId,
      AUTH0_CLIENT_SECRET: idp.siteClient.clientSecret,
      AUTH0_SECRET: "test-cookie-secret-0123456789abcdef0123456789",
      AUTH0_ALLOW_INSECURE_REQUESTS: "true",
      DATABASE_URL: options.databaseUrl,
      LOG_LEVEL: options.logLevel ?? "warn",
      ASSET_DIR: mkdtempSync(path.join(tmpdir(), "stylist-e2e-assets-")),
    },
  });
  let output = "";
  app.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  app.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const stop = async () => {
    if (app.pid !== undefined && app.exitCode === null) {
      const exited = new Promise((resolve) => app.once("exit", resolve));
      process.kill(-app.pid, "SIGTERM");
      await exited;
    }
    await idp.close();
  };
  try {
    await waitForHealth(url, app, 60_000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return { url, idp, output: () => output, stop };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function waitForHealth(url: string, app: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (app.exitCode !== null) throw new Error(`the app exited with code ${app.exitCode}`);
    const healthy = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
    if (healthy) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the app did not become healthy within ${timeoutMs} ms`);
}
