import type { Database } from "@/db/client";
import { openConfiguredDatabase } from "@/db/open";
import { catalogIndexFor } from "./search/index";
import { createJwtVerifier, type TokenVerifier } from "./auth/bearer";
import { env, type Env } from "./env";
import { rootLogger, type Logger } from "./logger";
import { openPaymentGateway, type PaymentGateway } from "./payments/gateway";
import { createPhotoServices, type PhotoServices } from "./photos/services";
import { TryonWorker } from "./tryon/worker";

/** What the HTTP doors need; tests build one with their own database and identity provider. */
export interface AppDeps {
  env: Env;
  database: Database;
  /** null in AUTH_MODE=dev, where there are no tokens to verify. */
  verifier: TokenVerifier | null;
  log: Logger;
  /** Stripe Checkout (or, with no keys, the local test-payment stand-in). */
  payments: PaymentGateway;
  /** Photo storage, the pose model and the photo fetch policy. */
  photos: PhotoServices;
}

export function verifierFor(config: Env): TokenVerifier | null {
  if (config.auth.mode !== "oauth") return null;
  return createJwtVerifier({ issuer: config.auth.issuer, audience: config.auth.audience, jwksUrl: config.auth.jwksUrl });
}

// One app per process, kept on globalThis: Next's dev reloads re-evaluate modules, and two PGlite
// instances must never open the same data directory.
const holder = globalThis as unknown as { __stylistApp?: Promise<AppDeps> };

export function getApp(): Promise<AppDeps> {
  holder.__stylistApp ??= (async () => {
    const config = env();
    const log = rootLogger();
    const database = await openConfiguredDatabase(config, (msg) => log.info(msg));
    const { gateway } = await openPaymentGateway(config.payments, config.appBaseUrl);
    if (gateway.mode === "local") log.info("payments: local test-payment mode (no STRIPE_SECRET_KEY); no real money moves");
    // The search index loads in the background from the first request on (a minute at 1,000,000
    // products), so the first search waits for what is left rather than for all of it.
    const started = Date.now();
    catalogIndexFor(database.db).then(
      (index) => log.info({ products: index.live, ms: Date.now() - started }, "search index loaded"),
      (error: unknown) => log.warn({ err: error instanceof Error ? error.name : "error" }, "search index load failed; the first search retries"),
    );
    const photos = createPhotoServices(config.photos);
    if (config.photos.worker === "inline") {
      // The embedded default renders try-ons in this process; production runs `npm run worker` instead.
      const worker = new TryonWorker({ database, assets: photos.assets, renderer: photos.renderer, log: log.child({ component: "tryon-worker" }) });
      worker.start().then(
        () => log.info({ worker: worker.id }, "try-on worker started in-process"),
        (error: unknown) => log.warn({ err: error instanceof Error ? error.message : "error" }, "try-on worker did not start"),
      );
    }
    return { env: config, database, verifier: verifierFor(config), log, payments: gateway, photos };
  })().catch((error: unknown) => {
    holder.__stylistApp = undefined;
    throw error;
  });
  return holder.__stylistApp;
}
