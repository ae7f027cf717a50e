import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { getApp } from "@/server/app";
import { testPaymentAction } from "@/server/actions/test-payments";
import { currentSiteUser } from "@/server/auth/auth0";
import { money } from "@/server/money";
import { registry } from "@/server/procedures";
import { signInUrl, siteCall } from "@/server/site";

export const metadata: Metadata = { title: "Test payment", robots: { index: false } };

/**
 * Local test-payment mode (no STRIPE_SECRET_KEY): this page stands in for Stripe's hosted Checkout page.
 * It is clearly labelled, takes no card details and moves no money. With Stripe keys it does not exist.
 */
export default async function TestPaymentPage({ params, searchParams }: { params: Promise<{ sessionId: string }>; searchParams: Promise<{ error?: string }> }) {
  const { sessionId } = await params;
  const { error } = await searchParams;
  const test = (await getApp()).payments.testPayments;
  if (!test) notFound();
  if (!(await currentSiteUser())) redirect(signInUrl(`/pay/test/${encodeURIComponent(sessionId)}`));
  const session = test.sessions.get(sessionId);
  if (!session?.client_reference_id) notFound();
  const order = await siteCall(registry.orders.get, { approvalId: session.client_reference_id });
  if (!order.ok) notFound();
  const amount = money(session.amount_total ?? 0, (session.currency ?? "usd").toUpperCase());
  const delayedPending = session.status === "complete" && session.payment_status === "unpaid";
  return (
    <section className="card narrow">
      <div className="test-banner" role="note">
        <strong>Test payment: no real money moves.</strong>
        <p>
          This app runs without Stripe keys, so this page stands in for Stripe Checkout. Choosing an option below
          makes the local stand-in send Stripe&apos;s signed webhook to this app, exactly as Stripe would.
        </p>
      </div>
      <h1>Pay {amount.formatted}</h1>
      <p>
        {order.value.items.length} item{order.value.items.length === 1 ? "" : "s"} for {session.customer_email ?? "you"}.
      </p>
      {error ? (
        <p role="alert" className="status error">
          That did not work: this payment page is no longer open.
        </p>
      ) : null}
      {session.status === "open" ? (
        <form action={testPaymentAction} className="actions">
          <input type="hidden" name="sessionId" value={session.id} />
          <button type="submit" name="choice" value="card" className="button">
            Pay {amount.formatted} with a test card
          </button>
          <button type="submit" name="choice" value="delayed" className="button secondary">
            Pay by test bank debit (settles later)
          </button>
        </form>
      ) : delayedPending ? (
        <form action={testPaymentAction} className="actions">
          <input type="hidden" name="sessionId" value={session.id} />
          <p>The bank debit is processing. Decide how it ends:</p>
          <button type="submit" name="choice" value="settle-success" className="button">
            The debit succeeds
          </button>
          <button type="submit" name="choice" value="settle-failure" className="button secondary">
            The debit fails
          </button>
        </form>
      ) : (
        <p>This payment page is {session.status === "complete" ? "complete" : "closed"}.</p>
      )}
      {session.status === "open" && session.cancel_url ? (
        <p>
          <a href={session.cancel_url}>Back without paying</a>
        </p>
      ) : null}
    </section>
  );
}
