"use server";

import { notFound, redirect } from "next/navigation";
import { getApp } from "@/server/app";
import { registry } from "@/server/procedures";
import { siteCall } from "@/server/site";

/**
 * The buttons of the local test-payment page (local mode only: no STRIPE_SECRET_KEY). They act as the
 * buyer on Stripe's hosted page would; the stand-in then sends the signed webhook to /webhooks/stripe,
 * which is what settles the order, exactly as with Stripe.
 */
export async function testPaymentAction(form: FormData): Promise<void> {
  const sessionId = String(form.get("sessionId") ?? "");
  const choice = String(form.get("choice") ?? "");
  const test = (await getApp()).payments.testPayments;
  const session = test?.sessions.get(sessionId);
  if (!test || !session?.client_reference_id) notFound();
  // Only the order's owner may act on its payment page.
  const order = await siteCall(registry.orders.get, { approvalId: session.client_reference_id });
  if (!order.ok) notFound();
  let failed = false;
  try {
    if (choice === "card" || choice === "delayed") await test.pay(sessionId, choice);
    else if (choice === "settle-success" || choice === "settle-failure") await test.settle(sessionId, choice === "settle-success");
    else failed = true;
  } catch {
    failed = true;
  }
  if (failed) redirect(`/pay/test/${encodeURIComponent(sessionId)}?error=1`);
  redirect(choice === "card" || choice === "delayed" ? session.success_url! : `/orders/${order.value.approvalId}`);
}
