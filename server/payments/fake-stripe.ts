import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import qs from "qs";
import Stripe from "stripe";

/**
 * A local stand-in for the part of Stripe's API this app calls: create, retrieve and expire a Checkout
 * Session, with Stripe's form encoding, error shapes, API-key check and idempotency semantics (same key
 * and parameters: the first response, replayed; same key, other parameters: `idempotency_error`). It
 * signs and delivers webhooks the way Stripe does (`Stripe-Signature: t=…,v1=…`).
 *
 * The app reaches it through the real `stripe` SDK (its `host`, `port` and `protocol` options), in the
 * tests and in local test-payment mode (no STRIPE_SECRET_KEY), where the test-payment page stands in
 * for Stripe's hosted page and "pays" through `pay`. It never runs with real keys.
 */

export type TestPaymentOutcome =
  /** A card payment: completed and paid at once. */
  | "card"
  /** A delayed method (bank debit): completed but unpaid; `settle` decides later. */
  | "delayed";

export interface FakeStripeOptions {
  apiKey: string;
  webhookSecret: string;
  /** Where events are POSTed (the app's /webhooks/stripe); events are only recorded when absent. */
  webhookUrl?: string;
  /** The hosted checkout page: a session's `url` is `${checkoutPageUrl}/${session.id}`. */
  checkoutPageUrl: string;
  /** Seconds since the epoch; the tests move it. */
  now?: () => number;
}

type Session = Stripe.Checkout.Session;
export interface DeliveredEvent {
  event: Stripe.Event;
  status: number;
}

export interface FakeStripe {
  url: string;
  port: number;
  /** Sessions by id, as Stripe holds them. */
  sessions: Map<string, Session>;
  /** Every request the SDK made, in order (method, path, idempotency key). */
  requests: Array<{ method: string; path: string; idempotencyKey?: string; replayed: boolean }>;
  /** Every event sent to the webhook URL and the status our endpoint answered. */
  deliveries: DeliveredEvent[];
  /** The buyer pays on the hosted page. */
  pay(sessionId: string, outcome: TestPaymentOutcome): Promise<Session>;
  /** A delayed payment settles. */
  settle(sessionId: string, succeeded: boolean): Promise<Session>;
  /** Builds (and sends, when a webhook URL is set) an event for a session. */
  emit(type: string, session: Session): Promise<DeliveredEvent>;
  close(): Promise<void>;
}

export async function startFakeStripe(options: FakeStripeOptions): Promise<FakeStripe> {
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const sessions = new Map<string, Session>();
  const idempotency = new Map<string, { paramsHash: string; status: number; body: unknown }>();
  const requests: FakeStripe["requests"] = [];
  const deliveries: DeliveredEvent[] = [];
  // Requests with one idempotency key are served one at a time, as Stripe does.
  const inFlight = new Map<string, Promise<unknown>>();

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, apiError("api_error", String(error))));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as AddressInfo).port;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const key = header(req, "idempotency-key");
    if (header(req, "authorization") !== `Bearer ${options.apiKey}`) {
      requests.push({ method: req.method ?? "", path, idempotencyKey: key, replayed: false });
      return send(res, 401, apiError("invalid_request_error", "Invalid API Key provided."));
    }
    const params = qs.parse(body, { arrayLimit: 1000, depth: 10 }) as Record<string, unknown>;
    if (req.method === "POST" && key) {
      const scoped = `${req.method} ${path} ${key}`;
      while (inFlight.has(scoped)) await inFlight.get(scoped);
      const paramsHash = createHash("sha256").update(`${path}\n${body}`).digest("hex");
      const stored = idempotency.get(scoped);
      if (stored) {
        requests.push({ method: req.method, path, idempotencyKey: key, replayed: stored.paramsHash === paramsHash });
        if (stored.paramsHash !== paramsHash) {
          return send(res, 400, apiError("idempotency_error", `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`));
        }
        return send(res, stored.status, stored.body, { "idempotent-replayed": "true" });
      }
      const work = route(req.method, path, params).then((result) => {
        idempotency.set(scoped, { paramsHash, ...result });
        return result;
      });
      inFlight.set(scoped, work);
      try {
        const result = await work;
        requests.push({ method: req.method, path, idempotencyKey: key, replayed: false });
        return send(res, result.status, result.body);
      } finally {
        inFlight.delete(scoped);
      }
    }
    requests.push({ method: req.method ?? "", path, idempotencyKey: key, replayed: false });
    const result = await route(req.method ?? "GET", path, params);
    send(res, result.status, result.body);
  }

  async function route(method: string, path: string, params: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
    if (method === "POST" && path === "/v1/checkout/sessions") return createSession(params);
    const retrieve = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path);
    if (method === "GET" && retrieve) {
      const session = sessions.get(decodeURIComponent(retrieve[1]!));
      return session ? { status: 200, body: session } : missing(retrieve[1]!);
    }
    const expire = /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/.exec(path);
    if (method === "POST" && expire) {
      const session = sessions.get(decodeURIComponent(expire[1]!));
      if (!session) return missing(expire[1]!);
      if (session.status !== "open") {
        return { status: 400, body: apiError("invalid_request_error", `Only Checkout Sessions with a status in ["open"] can be expired.`) };
      }
      session.status = "expired";
      await emit("checkout.session.expired", session);
      return { status: 200, body: session };
    }
    return { status: 404, body: apiError("invalid_request_error", `Unrecognized request URL (${method}: ${path}).`) };
  }

  function createSession(p: Record<string, unknown>): { status: number; body: unknown } {
    const invalid = (param: string, message: string) => ({ status: 400, body: apiError("invalid_request_error", message, param) });
    if (p.mode !== "payment") return invalid("mode", "This fake supports mode=payment only.");
    if (typeof p.success_url !== "string" || !/^https?:\/\//.test(p.success_url)) return invalid("success_url", "Not a valid URL");
    if (p.cancel_url !== undefined && (typeof p.cancel_url !== "string" || !/^https?:\/\//.test(p.cancel_url))) {
      return invalid("cancel_url", "Not a valid URL");
    }
    const lines = Array.isArray(p.line_items) ? (p.line_items as Array<Record<string, any>>) : [];
    if (lines.length === 0) return invalid("line_items", "Missing required param: line_items.");
    let currency: string | undefined;
    let total = 0;
    for (const [i, line] of lines.entries()) {
      const data = line.price_data;
      const amount = Number(data?.unit_amount);
      const quantity = Number(line.quantity);
      if (!data || !Number.isInteger(amount) || amount < 0) return invalid(`line_items[${i}][price_data][unit_amount]`, "Invalid integer");
      if (!data.product_data?.name) return invalid(`line_items[${i}][price_data][product_data][name]`, "Missing required param");
      if (!Number.isInteger(quantity) || quantity < 1) return invalid(`line_items[${i}][quantity]`, "Invalid integer");
      if (currency && data.currency !== currency) return invalid(`line_items[${i}][price_data][currency]`, "All line items must use the same currency.");
      currency = String(data.currency);
      total += amount * quantity;
    }
    const created = now();
    const expiresAt = p.expires_at === undefined ? created + 24 * 3600 : Number(p.expires_at);
    if (!Number.isInteger(expiresAt) || expiresAt < created + 30 * 60 || expiresAt > created + 24 * 3600) {
      return invalid("expires_at", "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.");
    }
    const id = `cs_test_${randomBytes(24).toString("base64url")}`;
    const session = {
      id,
      object: "checkout.session",
      amount_subtotal: total,
      amount_total: total,
      cancel_url: (p.cancel_url as string | undefined) ?? null,
      client_reference_id: (p.client_reference_id as string | undefined) ?? null,
      created,
      currency: currency!.toLowerCase(),
      customer_email: (p.customer_email as string | undefined) ?? null,
      expires_at: expiresAt,
      livemode: false,
      metadata: (p.metadata as Record<string, string> | undefined) ?? {},
      mode: "payment",
      payment_intent: null,
      payment_status: "unpaid",
      status: "open",
      success_url: p.success_url,
      url: `${options.checkoutPageUrl}/${id}`,
    } as unknown as Session;
    sessions.set(id, session);
    return { status: 200, body: session };
  }

  async function emit(type: string, session: Session): Promise<DeliveredEvent> {
    const event = {
      id: `evt_${randomBytes(16).toString("hex")}`,
      object: "event",
      api_version: Stripe.API_VERSION,
      created: now(),
      data: { object: structuredClone(session) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    } as unknown as Stripe.Event;
    let status = 0;
    if (options.webhookUrl) {
      const payload = JSON.stringify(event);
      const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: options.webhookSecret, timestamp: now() });
      const response = await fetch(options.webhookUrl, {
        method: "POST",
        headers: { "content-type": "application/json", "stripe-signature": signature },
        body: payload,
      });
      status = response.status;
      await response.body?.cancel();
    }
    const delivered = { event, status };
    deliveries.push(delivered);
    return delivered;
  }

  function openSession(id: string): Session {
    const session = sessions.get(id);
    if (!session) throw new Error(`No such checkout session: ${id}`);
    if (session.status !== "open") throw new Error(`The checkout session is ${session.status}`);
    if (session.expires_at <= now()) throw new Error("The checkout session has expired");
    return session;
  }

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    sessions,
    requests,
    deliveries,
    async pay(sessionId, outcome) {
      const session = openSession(sessionId);
      session.status = "complete";
      session.payment_intent = `pi_test_${randomBytes(12).toString("hex")}`;
      session.payment_status = outcome === "card" ? "paid" : "unpaid";
      await emit("checkout.session.completed", session);
      return session;
    },
    async settle(sessionId, succeeded) {
      const session = sessions.get(sessionId);
      if (!session || session.status !== "complete" || session.payment_status !== "unpaid") {
        throw new Error("Only a completed, unpaid (delayed) payment can settle");
      }
      session.payment_status = succeeded ? "paid" : "unpaid";
      await emit(succeeded ? "checkout.session.async_payment_succeeded" : "checkout.session.async_payment_failed", session);
      return session;
    },
    emit,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  function missing(id: string) {
    return { status: 404, body: apiError("invalid_request_error", `No such checkout.session: '${decodeURIComponent(id)}'`, "id", "resource_missing") };
  }
}

function apiError(type: string, message: string, param?: string, code?: string) {
  return { error: { type, message, ...(param ? { param } : {}), ...(code ? { code } : {}) } };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", "request-id": `req_${randomBytes(8).toString("hex")}`, ...headers });
  res.end(JSON.stringify(body));
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
