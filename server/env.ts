import { z } from "zod";

/**
 * Every environment variable the app reads, validated once. Nothing else in the codebase touches
 * `process.env`; tests build an `Env` from a plain object with `parseEnv`.
 */

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

const booleanFlag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const rawSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  AUTH_MODE: z.enum(["dev", "oauth"]).default("dev"),
  APP_BASE_URL: z.url({ protocol: /^https?$/ }).default("http://localhost:3000"),
  AUTH0_DOMAIN: optionalString,
  AUTH0_CLIENT_ID: optionalString,
  AUTH0_CLIENT_SECRET: optionalString,
  AUTH0_SECRET: optionalString,
  AUTH0_AUDIENCE: optionalString,
  AUTH0_ALLOW_INSECURE_REQUESTS: booleanFlag,
  DATABASE_URL: optionalString,
  DB_HOST: optionalString,
  DB_PORT: optionalString,
  DB_NAME: optionalString,
  DB_USER: optionalString,
  DB_PASSWORD: optionalString,
  DB_SSL: z.enum(["disable", "require"]).default("disable"),
  ALLOWED_ORIGINS: optionalString,
  PGLITE_DATA_DIR: z.string().default(".data/pglite"),
  CATALOG_SEED_SIZE: z.coerce.number().int().min(0).max(1_000_000).default(5000),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  STRIPE_API_URL: optionalString,
  APP_SECRET: optionalString,
  CHECKOUT_REDIRECT_ORIGINS: optionalString,
  ASSET_DIR: z.string().default(".data/assets"),
  ASSET_STORAGE: z.enum(["local", "s3"]).default("local"),
  S3_BUCKET: optionalString,
  S3_KMS_KEY_ID: optionalString,
  PHOTO_FETCH_HTTP_HOSTS: optionalString,
  TRYON_REQUIRE_FULL_BODY_PHOTOS: z.enum(["true", "false"]).default("true").transform((v) => v === "true"),
  TRYON_WORKER: z.enum(["inline", "off"]).default("inline"),
  TRYON_LEASE_MS: z.coerce.number().int().min(100).optional(),
  TRYON_POLL_MS: z.coerce.number().int().min(10).optional(),
  TRYON_RENDER_DELAY_MS: z.coerce.number().int().min(0).optional(),
  TRYON_HEARTBEAT_FILE: z.string().default("/tmp/stylist-worker-heartbeat"),
});

export type AuthConfig =
  | { mode: "dev" }
  | {
      mode: "oauth";
      domain: string;
      issuer: string;
      jwksUrl: string;
      audience: string;
      clientId: string;
      clientSecret: string;
      secret: string;
      allowInsecureRequests: boolean;
    };

export interface Env {
  nodeEnv: "development" | "production" | "test";
  appBaseUrl: string;
  /** The MCP resource identifier: the audience tokens must carry and the `resource` we advertise. */
  mcpResource: string;
  /**
   * Origins (scheme://host[:port]) whose Host and Origin headers the machine doors accept: the app's own,
   * plus ALLOWED_ORIGINS for a proxy or a second public name. In dev mode, loopback origins on any port.
   */
  allowedOrigins: string[];
  auth: AuthConfig;
  database: { kind: "pglite"; dataDir: string } | { kind: "postgres"; url: string; poolMax: number };
  catalogSeedSize: number;
  logLevel: z.infer<typeof rawSchema>["LOG_LEVEL"];
  payments: PaymentsConfig;
  /** Origins a caller's checkout `successUrl` / `cancelUrl` may point at: the app's own plus CHECKOUT_REDIRECT_ORIGINS. */
  checkoutRedirectOrigins: string[];
  /** Server-side secret (APP_SECRET) that seals what must be recoverable but never stored in clear. */
  appSecret: string;
  photos: PhotosConfig;
}

export interface PhotosConfig {
  /** Where photos and renders are kept: local disk (the embedded default) or an S3 bucket (production). */
  storage: { kind: "local"; dir: string } | { kind: "s3"; bucket: string; kmsKeyId?: string };
  /** The local folder (also where tests look); unused with S3. */
  assetDir: string;
  /**
   * host:port pairs a photo URL may reach over plain http and on a loopback address (tests' own
   * servers only: PHOTO_FETCH_HTTP_HOSTS). Everything else must be https to a public address.
   */
  fetchHttpHosts: string[];
  /** Try-on needs an approved primary full-body photo (TRYON_REQUIRE_FULL_BODY_PHOTOS, default true). */
  requireFullBody: boolean;
  /**
   * `inline`: the web process runs a try-on worker itself (the embedded default); `off`: jobs wait for
   * `npm run worker` processes (production, where workers scale on their own).
   */
  worker: "inline" | "off";
  /**
   * The worker command's knobs: the claim's lease and the poll interval (defaults in server/tryon/worker.ts),
   * an extra render delay (tests and benches only: a window to kill a worker in), and the heartbeat file
   * the container's health check reads.
   */
  workerTuning: { leaseMs?: number; pollMs?: number; renderDelayMs?: number; heartbeatFile: string };
}

/**
 * `stripe`: the real Stripe SDK with STRIPE_SECRET_KEY (STRIPE_API_URL points it at a Stripe-compatible
 * server instead of api.stripe.com: tests only). `local`: no keys (the embedded default); a local
 * stand-in for Stripe's API and a clearly labelled test-payment page, signing webhooks with `webhookSecret`.
 */
export type PaymentsConfig =
  | { mode: "local"; webhookSecret: string }
  | { mode: "stripe"; secretKey: string; webhookSecret: string; apiUrl?: string };

/** Used only in local test-payment mode, where no real money can move. */
export const LOCAL_WEBHOOK_SECRET = "whsec_local_test_payments_only";
const DEV_APP_SECRET = "stylist-dev-secret-never-use-in-production";

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = rawSchema.safeParse(source);
  if (!parsed.success) {
    throw new EnvError(
      parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`),
    );
  }
  const raw = parsed.data;
  const problems: string[] = [];
  // On AWS the credentials arrive as separate secrets (RDS's generated secret); compose the URL here.
  if (!raw.DATABASE_URL && raw.DB_HOST) {
    if (!raw.DB_USER || !raw.DB_PASSWORD || !raw.DB_NAME) problems.push("DB_USER, DB_PASSWORD, DB_NAME: required with DB_HOST");
    const auth = `${encodeURIComponent(raw.DB_USER ?? "")}:${encodeURIComponent(raw.DB_PASSWORD ?? "")}`;
    raw.DATABASE_URL = `postgres://${auth}@${raw.DB_HOST}:${raw.DB_PORT ?? "5432"}/${encodeURIComponent(raw.DB_NAME ?? "")}${raw.DB_SSL === "require" ? "?sslmode=require" : ""}`;
  }
  const appBaseUrl = raw.APP_BASE_URL.replace(/\/+$/, "");
  const mcpResource = raw.AUTH0_AUDIENCE ?? `${appBaseUrl}/mcp`;

  let auth: AuthConfig = { mode: "dev" };
  if (raw.AUTH_MODE === "dev") {
    // Dev mode signs everyone in as one local user with every scope: it must never face a network.
    if (!LOOPBACK_HOSTS.has(new URL(appBaseUrl).hostname)) {
      problems.push(
        `AUTH_MODE: "dev" is only allowed when APP_BASE_URL is a loopback URL (got ${appBaseUrl}); set AUTH_MODE=oauth and the AUTH0_* variables for a deployment`,
      );
    }
  } else {
    for (const name of ["AUTH0_DOMAIN", "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET", "AUTH0_SECRET"] as const) {
      if (!raw[name]) problems.push(`${name}: required when AUTH_MODE=oauth`);
    }
    if (raw.AUTH0_SECRET && raw.AUTH0_SECRET.length < 32) {
      problems.push("AUTH0_SECRET: must be at least 32 characters (openssl rand -hex 32)");
    }
    const issuer = raw.AUTH0_DOMAIN ? issuerFor(raw.AUTH0_DOMAIN, raw.AUTH0_ALLOW_INSECURE_REQUESTS, problems) : "";
    if (raw.AUTH0_ALLOW_INSECURE_REQUESTS && raw.NODE_ENV === "production" && !isLoopbackUrl(issuer)) {
      problems.push("AUTH0_ALLOW_INSECURE_REQUESTS: only allowed against a loopback issuer");
    }
    auth = {
      mode: "oauth",
      domain: raw.AUTH0_DOMAIN ?? "",
      issuer,
      jwksUrl: issuer ? new URL(".well-known/jwks.json", issuer).toString() : "",
      audience: mcpResource,
      clientId: raw.AUTH0_CLIENT_ID ?? "",
      clientSecret: raw.AUTH0_CLIENT_SECRET ?? "",
      secret: raw.AUTH0_SECRET ?? "",
      allowInsecureRequests: raw.AUTH0_ALLOW_INSECURE_REQUESTS,
    };
  }
  const allowedOrigins = [new URL(appBaseUrl).origin, ...originsOf("ALLOWED_ORIGINS", raw.ALLOWED_ORIGINS, problems)];
  const payments = paymentsConfig(raw, problems);
  const checkoutRedirectOrigins = [new URL(appBaseUrl).origin, ...originsOf("CHECKOUT_REDIRECT_ORIGINS", raw.CHECKOUT_REDIRECT_ORIGINS, problems)];
  let appSecret = raw.APP_SECRET;
  if (appSecret !== undefined && appSecret.length < 32) problems.push("APP_SECRET: must be at least 32 characters (openssl rand -hex 32)");
  // Without APP_SECRET an oauth deployment derives one from AUTH0_SECRET (server/crypto.ts separates the uses).
  appSecret ??= auth.mode === "oauth" ? `auth0:${auth.secret}` : DEV_APP_SECRET;
  const fetchHttpHosts = (raw.PHOTO_FETCH_HTTP_HOSTS ?? "").split(",").map((h) => h.trim().toLowerCase()).filter(Boolean);
  for (const host of fetchHttpHosts) {
    if (!/^(127\.0\.0\.1|localhost|\[::1\]):\d+$/.test(host)) problems.push(`PHOTO_FETCH_HTTP_HOSTS: ${host} must be a loopback host:port (tests only)`);
  }
  if (fetchHttpHosts.length > 0 && raw.NODE_ENV === "production") problems.push("PHOTO_FETCH_HTTP_HOSTS: not allowed in production");
  if (raw.ASSET_STORAGE === "s3" && !raw.S3_BUCKET) problems.push("S3_BUCKET: required with ASSET_STORAGE=s3");
  if (raw.NODE_ENV === "production" && !isLoopbackUrl(appBaseUrl)) productionGates(raw, appBaseUrl, problems);
  if (problems.length > 0) throw new EnvError(problems);

  return {
    nodeEnv: raw.NODE_ENV,
    appBaseUrl,
    mcpResource,
    allowedOrigins,
    auth,
    database: raw.DATABASE_URL
      ? { kind: "postgres", url: raw.DATABASE_URL, poolMax: raw.DB_POOL_MAX }
      : { kind: "pglite", dataDir: raw.PGLITE_DATA_DIR },
    catalogSeedSize: raw.CATALOG_SEED_SIZE,
    logLevel: raw.LOG_LEVEL,
    payments,
    checkoutRedirectOrigins,
    appSecret,
    photos: {
      storage: raw.ASSET_STORAGE === "s3" ? { kind: "s3", bucket: raw.S3_BUCKET ?? "", kmsKeyId: raw.S3_KMS_KEY_ID } : { kind: "local", dir: raw.ASSET_DIR },
      assetDir: raw.ASSET_DIR,
      fetchHttpHosts,
      requireFullBody: raw.TRYON_REQUIRE_FULL_BODY_PHOTOS,
      worker: raw.TRYON_WORKER,
      workerTuning: { leaseMs: raw.TRYON_LEASE_MS, pollMs: raw.TRYON_POLL_MS, renderDelayMs: raw.TRYON_RENDER_DELAY_MS, heartbeatFile: raw.TRYON_HEARTBEAT_FILE },
    },
  };
}

/**
 * A production deployment (NODE_ENV=production on a public APP_BASE_URL) refuses to start with any part
 * meant for a developer's machine, naming each: dev auth (refused above for any public URL), embedded
 * PGlite, local disk for photos, local test payments, a missing webhook secret, an insecure issuer, or
 * plain http.
 */
function productionGates(raw: z.infer<typeof rawSchema>, appBaseUrl: string, problems: string[]): void {
  if (!appBaseUrl.startsWith("https://")) problems.push("APP_BASE_URL: must be https in production");
  if (!raw.DATABASE_URL) problems.push("DATABASE_URL (or DB_HOST with DB_USER, DB_PASSWORD, DB_NAME): required in production (the embedded PGlite database is for development only)");
  if (raw.ASSET_STORAGE !== "s3") problems.push("ASSET_STORAGE: must be s3 in production (local disk is neither shared between tasks nor kept across deployments)");
  if (!raw.STRIPE_SECRET_KEY) problems.push("STRIPE_SECRET_KEY: required in production (local test payments are for development only)");
  if (!raw.STRIPE_WEBHOOK_SECRET) problems.push("STRIPE_WEBHOOK_SECRET: required in production (webhooks settle orders)");
  if (raw.AUTH0_ALLOW_INSECURE_REQUESTS) problems.push("AUTH0_ALLOW_INSECURE_REQUESTS: not allowed in production");
  if (raw.AUTH0_DOMAIN && /^http:\/\//i.test(raw.AUTH0_DOMAIN)) problems.push("AUTH0_DOMAIN: the issuer must be https in production");
  if (raw.STRIPE_API_URL) problems.push("STRIPE_API_URL: tests only, not allowed in production");
}

/** A comma-separated list of origins (scheme://host[:port]); each bad entry is named. */
function originsOf(name: string, value: string | undefined, problems: string[]): string[] {
  const origins: string[] = [];
  for (const entry of (value ?? "").split(",").map((o) => o.trim()).filter(Boolean)) {
    try {
      const url = new URL(entry);
      if (url.origin === "null" || url.pathname !== "/" || url.search || url.username) throw new Error("not an origin");
      origins.push(url.origin);
    } catch {
      problems.push(`${name}: ${entry} is not an origin such as https://shop.example.com`);
    }
  }
  return origins;
}

function paymentsConfig(raw: z.infer<typeof rawSchema>, problems: string[]): PaymentsConfig {
  if (!raw.STRIPE_SECRET_KEY) {
    if (raw.STRIPE_WEBHOOK_SECRET) problems.push("STRIPE_WEBHOOK_SECRET: set STRIPE_SECRET_KEY too, or neither (local test payments)");
    return { mode: "local", webhookSecret: LOCAL_WEBHOOK_SECRET };
  }
  if (!/^(sk|rk)_(test|live)_/.test(raw.STRIPE_SECRET_KEY)) problems.push("STRIPE_SECRET_KEY: expected a Stripe secret key (sk_test_… or sk_live_…)");
  if (!raw.STRIPE_WEBHOOK_SECRET) problems.push("STRIPE_WEBHOOK_SECRET: required with STRIPE_SECRET_KEY (the endpoint's whsec_… signing secret)");
  if (raw.STRIPE_API_URL !== undefined && !isLoopbackUrl(raw.STRIPE_API_URL)) {
    problems.push("STRIPE_API_URL: only a loopback Stripe-compatible server (tests); leave it unset to reach api.stripe.com");
  }
  return { mode: "stripe", secretKey: raw.STRIPE_SECRET_KEY, webhookSecret: raw.STRIPE_WEBHOOK_SECRET ?? "", apiUrl: raw.STRIPE_API_URL };
}

/** Auth0's issuer is `https://<domain>/`; the http form is accepted only for a loopback test provider. */
function issuerFor(domain: string, allowInsecure: boolean, problems: string[]): string {
  const withScheme = /^https?:\/\//i.test(domain) ? domain : `https://${domain}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    problems.push(`AUTH0_DOMAIN: not a host name (got ${domain})`);
    return "";
  }
  if (url.protocol === "http:" && !allowInsecure) {
    problems.push("AUTH0_DOMAIN: an http:// issuer needs AUTH0_ALLOW_INSECURE_REQUESTS=true (tests only)");
  }
  return `${url.protocol}//${url.host}/`;
}

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

function isLoopbackUrl(value: string): boolean {
  try {
    return LOOPBACK_HOSTS.has(new URL(value).hostname);
  } catch {
    return false;
  }
}

let cached: Env | undefined;

/** The process's configuration, parsed on first use; a bad variable fails loudly, naming it. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
