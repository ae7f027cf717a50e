import Stripe from "stripe";
import type { PaymentsConfig } from "../env";
import { startFakeStripe, type FakeStripe } from "./fake-stripe";

/**
 * The payment provider as the app uses it: Stripe Checkout through the official SDK. Everything here is
 * a network call: callers make it outside any database transaction.
 */
export interface PaymentGateway {
  /** "stripe" against Stripe (or a Stripe-compatible test server); "local" for the test-payment stand-in. */
  mode: "stripe" | "local";
  createCheckoutSession(params: Stripe.Checkout.SessionCreateParams, idempotencyKey: string): Promise<Stripe.Checkout.Session>;
  retrieveCheckoutSession(id: string): Promise<Stripe.Checkout.Session>;
  expireCheckoutSession(id: string): Promise<Stripe.Checkout.Session>;
  /**
   * The event in a webhook request, or why it is refused. The signature is checked on the raw body with
   * the endpoint secret, and the signed timestamp must be within `toleranceSeconds` of `nowSeconds` on
   * both sides (the SDK alone accepts any timestamp from the future).
   */
  verifyWebhook(rawBody: string, signatureHeader: string | null, nowSeconds: number): WebhookVerification;
  /** Local mode only: the stand-in's hosted-page actions, used by the test-payment page. */
  testPayments?: Pick<FakeStripe, "pay" | "settle" | "sessions">;
}

export type WebhookVerification = { ok: true; event: Stripe.Event } | { ok: false; reason: string };

export const WEBHOOK_TOLERANCE_SECONDS = 300;

export function createStripeGateway(config: { secretKey: string; webhookSecret: string; apiUrl?: string }): PaymentGateway {
  const api = config.apiUrl ? new URL(config.apiUrl) : undefined;
  const stripe = new Stripe(config.secretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    telemetry: false,
    appInfo: { name: "stylist" },
    ...(api ? { host: api.hostname, port: Number(api.port || (api.protocol === "https:" ? 443 : 80)), protocol: api.protocol.replace(":", "") as "http" | "https" } : {}),
  });
  return {
    mode: "stripe",
    createCheckoutSession: (params, idempotencyKey) => stripe.checkout.sessions.create(params, { idempotencyKey }),
    retrieveCheckoutSession: (id) => stripe.checkout.sessions.retrieve(id),
    expireCheckoutSession: (id) => stripe.checkout.sessions.expire(id),
    verifyWebhook: (rawBody, signatureHeader, nowSeconds) => verifyWebhook(stripe, config.webhookSecret, rawBody, signatureHeader, nowSeconds),
  };
}

function verifyWebhook(stripe: Stripe, secret: string, rawBody: string, header: string | null, nowSeconds: number): WebhookVerification {
  if (!header) return { ok: false, reason: "missing Stripe-Signature header" };
  const timestamp = Number(/(?:^|,)t=(\d+)/.exec(header)?.[1]);
  if (!Number.isFinite(timestamp)) return { ok: false, reason: "no timestamp in the signature header" };
  if (Math.abs(nowSeconds - timestamp) > WEBHOOK_TOLERANCE_SECONDS) {
    return { ok: false, reason: `signature timestamp outside the ${WEBHOOK_TOLERANCE_SECONDS}s window` };
  }
  try {
    const event = stripe.webhooks.constructEvent(rawBody, header, secret, WEBHOOK_TOLERANCE_SECONDS, undefined, nowSeconds);
    return { ok: true, event };
  } catch (error) {
    return { ok: false, reason: error instanceof Stripe.errors.StripeSignatureVerificationError ? "signature does not match" : "malformed event" };
  }
}

/**
 * The gateway for a configuration. Local mode starts the stand-in on a loopback port and talks to it
 * through the same SDK, so the whole journey (link, approval, payment, webhook) runs with no keys.
 */
export async function openPaymentGateway(config: PaymentsConfig, appBaseUrl: string): Promise<{ gateway: PaymentGateway; close(): Promise<void> }> {
  if (config.mode === "stripe") return { gateway: createStripeGateway(config), close: async () => {} };
  const apiKey = "sk_test_local_test_payments";
  const fake = await startFakeStripe({
    apiKey,
    webhookSecret: config.webhookSecret,
    webhookUrl: `${appBaseUrl}/webhooks/stripe`,
    checkoutPageUrl: `${appBaseUrl}/pay/test`,
  });
  const gateway = createStripeGateway({ secretKey: apiKey, webhookSecret: config.webhookSecret, apiUrl: fake.url });
  return { gateway: { ...gateway, mode: "local", testPayments: fake }, close: () => fake.close() };
}
