import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeStripe, type FakeStripe } from "./fake-stripe";
import { createStripeGateway } from "./gateway";

/**
 * The stand-in must behave as Stripe does where the app depends on it, seen through the real SDK:
 * idempotency, error types, the session lifecycle, and webhook signatures the SDK verifies.
 */
describe("the local Stripe stand-in, through the Stripe SDK", () => {
  let fake: FakeStripe;
  let stripe: Stripe;
  const received: Array<{ signature: string; body: string }> = [];
  let hook: ReturnType<typeof import("node:http").createServer>;

  beforeAll(async () => {
    const http = await import("node:http");
    hook = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        received.push({ signature: String(req.headers["stripe-signature"]), body });
        res.end("{}");
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", () => resolve()));
    const port = (hook.address() as { port: number }).port;
    fake = await startFakeStripe({ apiKey: "sk_test_k", webhookSecret: "whsec_s", webhookUrl: `http://127.0.0.1:${port}/`, checkoutPageUrl: "http://localhost:3000/pay/test" });
    const api = new URL(fake.url);
    stripe = new Stripe("sk_test_k", { host: api.hostname, port: Number(api.port), protocol: "http", maxNetworkRetries: 0 });
  });
  afterAll(async () => {
    await fake.close();
    await new Promise<void>((resolve) => hook.close(() => resolve()));
  });

  const params = (amount = 1500): Stripe.Checkout.SessionCreateParams => ({
    mode: "payment",
    line_items: [{ quantity: 2, price_data: { currency: "usd", unit_amount: amount, product_data: { name: "Tee" } } }],
    success_url: "http://localhost:3000/ok",
    client_reference_id: "ref-1",
    metadata: { approvalId: "a1" },
    expires_at: Math.floor(Date.now() / 1000) + 3600,
  });

  it("creates a session with Stripe's shape and totals", async () => {
    const session = await stripe.checkout.sessions.create(params());
    expect(session).toMatchObject({ object: "checkout.session", amount_total: 3000, currency: "usd", status: "open", payment_status: "unpaid", client_reference_id: "ref-1", metadata: { approvalId: "a1" } });
    expect(session.url).toBe(`http://localhost:3000/pay/test/${session.id}`);
    expect((await stripe.checkout.sessions.retrieve(session.id)).id).toBe(session.id);
  });

  it("replays a request with the same idempotency key, and refuses the key with other parameters", async () => {
    const first = await stripe.checkout.sessions.create(params(), { idempotencyKey: "key-1" });
    const again = await stripe.checkout.sessions.create(params(), { idempotencyKey: "key-1" });
    expect(again.id).toBe(first.id);
    const error = await stripe.checkout.sessions.create(params(999), { idempotencyKey: "key-1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
  });

  it("answers Stripe's errors: unknown session, bad expiry, wrong key", async () => {
    const missing = await stripe.checkout.sessions.retrieve("cs_test_nope").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((missing as Stripe.errors.StripeError).code).toBe("resource_missing");
    const tooLong = await stripe.checkout.sessions.create({ ...params(), expires_at: Math.floor(Date.now() / 1000) + 25 * 3600 }).catch((e: unknown) => e);
    expect((tooLong as Stripe.errors.StripeError).param).toBe("expires_at");
    const api = new URL(fake.url);
    const wrongKey = new Stripe("sk_test_other", { host: api.hostname, port: Number(api.port), protocol: "http", maxNetworkRetries: 0 });
    expect(await wrongKey.checkout.sessions.retrieve("cs_test_x").catch((e: unknown) => e)).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
  });

  it("expires an open session once and signs the event so the SDK verifies it", async () => {
    const session = await stripe.checkout.sessions.create(params());
    expect((await stripe.checkout.sessions.expire(session.id)).status).toBe("expired");
    expect(await stripe.checkout.sessions.expire(session.id).catch((e: unknown) => e)).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    const delivery = received.at(-1)!;
    const event = stripe.webhooks.constructEvent(delivery.body, delivery.signature, "whsec_s");
    expect(event.type).toBe("checkout.session.expired");
    expect((event.data.object as Stripe.Checkout.Session).id).toBe(session.id);
    const gateway = createStripeGateway({ secretKey: "sk_test_k", webhookSecret: "whsec_s", apiUrl: fake.url });
    expect(gateway.verifyWebhook(delivery.body, delivery.signature, Math.floor(Date.now() / 1000)).ok).toBe(true);
    expect(gateway.verifyWebhook(delivery.body, delivery.signature, Math.floor(Date.now() / 1000) + 301)).toEqual({ ok: false, reason: "signature timestamp outside the 300s window" });
  });

  it("pays: completed and paid for a card, completed and unpaid then settled for a delayed method", async () => {
    const card = await stripe.checkout.sessions.create(params());
    await fake.pay(card.id, "card");
    expect(JSON.parse(received.at(-1)!.body)).toMatchObject({ type: "checkout.session.completed", data: { object: { payment_status: "paid" } } });
    const delayed = await stripe.checkout.sessions.create(params());
    await fake.pay(delayed.id, "delayed");
    expect(JSON.parse(received.at(-1)!.body)).toMatchObject({ type: "checkout.session.completed", data: { object: { payment_status: "unpaid" } } });
    await fake.settle(delayed.id, true);
    expect(JSON.parse(received.at(-1)!.body).type).toBe("checkout.session.async_payment_succeeded");
    await expect(fake.pay(card.id, "card")).rejects.toThrow(/complete/);
  });
});
