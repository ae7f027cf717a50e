import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

const oauth = {
  AUTH_MODE: "oauth",
  APP_BASE_URL: "https://stylist.example.com",
  AUTH0_DOMAIN: "stylist.eu.auth0.com",
  AUTH0_CLIENT_ID: "abc",
  AUTH0_CLIENT_SECRET: "def",
  AUTH0_SECRET: "0123456789abcdef0123456789abcdef",
};

describe("configuration", () => {
  it("runs with nothing set: dev auth, embedded database, localhost", () => {
    const env = parseEnv({});
    expect(env.auth.mode).toBe("dev");
    expect(env.database).toEqual({ kind: "pglite", dataDir: ".data/pglite" });
    expect(env.mcpResource).toBe("http://localhost:3000/mcp");
  });

  it("refuses dev auth on a non-loopback URL", () => {
    expect(() => parseEnv({ AUTH_MODE: "dev", APP_BASE_URL: "https://stylist.example.com" })).toThrow(/AUTH_MODE: "dev" is only allowed/);
  });

  it("names every missing Auth0 variable in oauth mode", () => {
    try {
      parseEnv({ AUTH_MODE: "oauth", APP_BASE_URL: "https://stylist.example.com" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      const problems = (error as EnvError).problems.join("\n");
      for (const name of ["AUTH0_DOMAIN", "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET", "AUTH0_SECRET"]) expect(problems).toContain(name);
    }
  });

  it("derives Auth0's issuer, JWKS and the audience from the domain and base URL", () => {
    const env = parseEnv(oauth);
    expect(env.auth).toMatchObject({
      mode: "oauth",
      issuer: "https://stylist.eu.auth0.com/",
      jwksUrl: "https://stylist.eu.auth0.com/.well-known/jwks.json",
      audience: "https://stylist.example.com/mcp",
    });
    expect(parseEnv({ ...oauth, AUTH0_AUDIENCE: "https://api.stylist.example.com/mcp" }).mcpResource).toBe(
      "https://api.stylist.example.com/mcp",
    );
  });

  it("accepts an http issuer only with AUTH0_ALLOW_INSECURE_REQUESTS", () => {
    expect(() => parseEnv({ ...oauth, AUTH0_DOMAIN: "http://localhost:4000" })).toThrow(/AUTH0_ALLOW_INSECURE_REQUESTS/);
    const env = parseEnv({ ...oauth, AUTH0_DOMAIN: "http://localhost:4000", AUTH0_ALLOW_INSECURE_REQUESTS: "true" });
    expect(env.auth.mode === "oauth" && env.auth.issuer).toBe("http://localhost:4000/");
  });

  it("names a malformed variable", () => {
    expect(() => parseEnv({ APP_BASE_URL: "not a url" })).toThrow(/APP_BASE_URL/);
    expect(() => parseEnv({ AUTH_MODE: "none" })).toThrow(/AUTH_MODE/);
    expect(() => parseEnv({ ...oauth, AUTH0_SECRET: "short" })).toThrow(/AUTH0_SECRET: must be at least 32/);
  });

  it("uses Postgres when DATABASE_URL is set", () => {
    expect(parseEnv({ DATABASE_URL: "postgres://u@db:5432/app" }).database).toMatchObject({ kind: "postgres" });
  });

  it("pays locally with no Stripe keys, and through Stripe with a key and its webhook secret", () => {
    expect(parseEnv({}).payments).toEqual({ mode: "local", webhookSecret: "whsec_local_test_payments_only" });
    const live = parseEnv({ ...oauth, STRIPE_SECRET_KEY: "sk_live_123", STRIPE_WEBHOOK_SECRET: "whsec_abc" });
    expect(live.payments).toEqual({ mode: "stripe", secretKey: "sk_live_123", webhookSecret: "whsec_abc", apiUrl: undefined });
  });

  it("names each Stripe misconfiguration", () => {
    const problems = (source: Record<string, string>) => {
      try {
        parseEnv({ ...oauth, ...source });
        return [];
      } catch (error) {
        return (error as EnvError).problems;
      }
    };
    expect(problems({ STRIPE_SECRET_KEY: "sk_test_1" })).toEqual([expect.stringMatching(/^STRIPE_WEBHOOK_SECRET: required/)]);
    expect(problems({ STRIPE_SECRET_KEY: "pk_test_1", STRIPE_WEBHOOK_SECRET: "whsec_1" })).toEqual([expect.stringMatching(/^STRIPE_SECRET_KEY: expected a Stripe secret key/)]);
    expect(problems({ STRIPE_WEBHOOK_SECRET: "whsec_1" })).toEqual([expect.stringMatching(/^STRIPE_WEBHOOK_SECRET: set STRIPE_SECRET_KEY too/)]);
    expect(problems({ STRIPE_SECRET_KEY: "sk_test_1", STRIPE_WEBHOOK_SECRET: "whsec_1", STRIPE_API_URL: "https://stripe.evil.example" })).toEqual([
      expect.stringMatching(/^STRIPE_API_URL: only a loopback/),
    ]);
  });

  it("allows checkout redirects to the app's own origin plus CHECKOUT_REDIRECT_ORIGINS, naming a bad entry", () => {
    expect(parseEnv({ ...oauth, CHECKOUT_REDIRECT_ORIGINS: "https://shop.example.com" }).checkoutRedirectOrigins).toEqual([
      "https://stylist.example.com",
      "https://shop.example.com",
    ]);
    expect(() => parseEnv({ ...oauth, CHECKOUT_REDIRECT_ORIGINS: "https://shop.example.com/path" })).toThrow(/CHECKOUT_REDIRECT_ORIGINS: https:\/\/shop.example.com\/path is not an origin/);
  });

  it("refuses a short APP_SECRET and derives one from AUTH0_SECRET when unset", () => {
    expect(() => parseEnv({ ...oauth, APP_SECRET: "short" })).toThrow(/APP_SECRET: must be at least 32 characters/);
    expect(parseEnv(oauth).appSecret).toContain(oauth.AUTH0_SECRET);
  });
});

describe("production gates", () => {
  const production = {
    ...oauth,
    NODE_ENV: "production",
    DATABASE_URL: "postgres://app@db.internal:5432/stylist",
    ASSET_STORAGE: "s3",
    S3_BUCKET: "stylist-assets",
    STRIPE_SECRET_KEY: "sk_live_abc",
    STRIPE_WEBHOOK_SECRET: "whsec_abc",
  };

  it("starts with every production part in place", () => {
    expect(parseEnv(production).photos.storage).toEqual({ kind: "s3", bucket: "stylist-assets", kmsKeyId: undefined });
  });

  it("refuses each development part, naming it", () => {
    const problems = (source: Record<string, string | undefined>) => {
      try {
        parseEnv(source);
        return [];
      } catch (error) {
        return (error as EnvError).problems;
      }
    };
    const { DATABASE_URL: _db, ASSET_STORAGE: _s, S3_BUCKET: _b, STRIPE_SECRET_KEY: _k, STRIPE_WEBHOOK_SECRET: _w, ...bare } = production;
    const found = problems(bare).join("\n");
    for (const name of ["DATABASE_URL (or DB_HOST", "ASSET_STORAGE:", "STRIPE_SECRET_KEY:", "STRIPE_WEBHOOK_SECRET:"]) expect(found).toContain(name);
    expect(problems({ ...production, STRIPE_WEBHOOK_SECRET: undefined }).join("\n")).toContain("STRIPE_WEBHOOK_SECRET:");
    expect(problems({ ...production, AUTH0_ALLOW_INSECURE_REQUESTS: "true" }).join("\n")).toContain("AUTH0_ALLOW_INSECURE_REQUESTS:");
    expect(problems({ ...production, APP_BASE_URL: "http://stylist.example.com" }).join("\n")).toContain("APP_BASE_URL: must be https");
    expect(problems({ ...production, AUTH_MODE: "dev" }).join("\n")).toContain("AUTH_MODE:");
  });

  it("a production build on loopback (the e2e tests, a local `next start`) keeps the embedded parts", () => {
    expect(parseEnv({ NODE_ENV: "production", APP_BASE_URL: "http://localhost:3000" }).database.kind).toBe("pglite");
  });
});

describe("the database from separate secrets", () => {
  it("composes DATABASE_URL from DB_* (RDS's generated secret), escaping the password, with TLS when asked", () => {
    const env = parseEnv({ DB_HOST: "db.internal", DB_PORT: "5432", DB_NAME: "stylist", DB_USER: "stylist", DB_PASSWORD: "p@ss/w:rd", DB_SSL: "require" });
    expect(env.database).toEqual({ kind: "postgres", url: "postgres://stylist:p%40ss%2Fw%3Ard@db.internal:5432/stylist?sslmode=require", poolMax: 10 });
    expect(() => parseEnv({ DB_HOST: "db.internal" })).toThrow(/DB_USER, DB_PASSWORD, DB_NAME/);
  });
});
