import type Stripe from "stripe";
import type { AppDeps } from "../app";
import type { Actor } from "../context";
import { toAppError } from "../errors";
import { contextFor, jsonResponse, requestIdOf } from "../http";
import { BodyTooLargeError, forbiddenResponse, refusedOrigin, withBufferedBody } from "../http-guard";
import { applyCheckoutEvent } from "../procedures/payments";
import { runProcedure } from "../run-procedure";

const STRIPE: Actor = { kind: "webhook", via: "webhook", source: "stripe" };

/**
 * POST /webhooks/stripe. The signature is checked on the raw body before anything is parsed or stored;
 * a refused request changes nothing and gets 400 (Stripe shows it on the dashboard and stops retrying
 * after its schedule). A verified event is applied by `payments.applyCheckoutEvent` as the webhook actor;
 * 200 acknowledges it (duplicates and unknown types included), 500 asks Stripe to retry later.
 */
export function createStripeWebhookHandler(getDeps: () => Promise<AppDeps>, clock: () => Date = () => new Date()) {
  return async function handleStripeWebhook(request: Request): Promise<Response> {
    const requestId = requestIdOf(request);
    if (request.method !== "POST") return jsonResponse({ error: { code: "method_not_allowed", message: "POST only." } }, { status: 405, requestId, headers: { allow: "POST" } });
    const deps = await getDeps();
    const refusal = refusedOrigin(request, deps.env);
    if (refusal) return forbiddenResponse(refusal, requestId, "trpc");
    let raw: string;
    try {
      raw = await (await withBufferedBody(request)).text();
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      return jsonResponse({ error: { code: "validation", message: "The event is too large." } }, { status: 413, requestId });
    }
    const log = deps.log.child({ requestId, door: "stripe-webhook" });
    const verified = deps.payments.verifyWebhook(raw, request.headers.get("stripe-signature"), Math.floor(clock().getTime() / 1000));
    if (!verified.ok) {
      log.warn({ reason: verified.reason }, "stripe webhook refused");
      return jsonResponse({ error: { code: "invalid_signature", message: `Webhook refused: ${verified.reason}.` } }, { status: 400, requestId });
    }
    const event = verified.event;
    try {
      const result = await runProcedure(applyCheckoutEvent, { ...contextFor(deps, STRIPE, requestId), now: clock }, {
        eventId: event.id,
        type: event.type,
        session: sessionOf(event),
      });
      log.info({ eventType: event.type, outcome: result.outcome }, "stripe webhook");
      return jsonResponse({ received: true, outcome: result.outcome }, { status: 200, requestId });
    } catch (error) {
      const appError = toAppError(error);
      return jsonResponse({ error: appError.toBody(requestId) }, { status: appError.code === "internal" ? 500 : 400, requestId });
    }
  };
}

function sessionOf(event: Stripe.Event) {
  const object = event.data?.object as Partial<Stripe.Checkout.Session> | undefined;
  if (!object || object.object !== "checkout.session" || typeof object.id !== "string") return null;
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(object.metadata ?? {})) if (typeof value === "string") metadata[key] = value;
  return {
    id: object.id,
    amountTotal: typeof object.amount_total === "number" ? object.amount_total : null,
    currency: object.currency ?? null,
    paymentStatus: object.payment_status ?? null,
    clientReferenceId: object.client_reference_id ?? null,
    metadata,
  };
}
