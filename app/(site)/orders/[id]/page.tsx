import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { BasketTable } from "@/components/basket-table";
import { currentSiteUser } from "@/server/auth/auth0";
import { registry } from "@/server/procedures";
import { signInUrl, siteCall } from "@/server/site";

export const metadata: Metadata = { title: "Order" };

/** What each state means for the person reading their order (the model gets `nextStep` instead). */
const FOR_YOU: Record<string, string> = {
  pending_approval: "Open the approval link ChatGPT gave you to review and pay.",
  approved: "You approved this basket; the payment is not finished yet.",
  payment_pending: "Your payment is processing. Bank debits can take a few days.",
  paid: "Your order is confirmed.",
  payment_failed: "The payment did not go through. Ask ChatGPT for a new link to try again.",
  expired: "This basket expired before it was paid. Ask ChatGPT for a new link.",
  canceled: "You canceled this basket. Nothing was charged.",
};

const dateTime = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/**
 * One order, and where Stripe sends the user back after paying or leaving checkout. It only reads state:
 * an order becomes paid when Stripe's signed webhook says so, never because someone reached this page.
 */
export default async function OrderPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ checkout?: string }> }) {
  const { id } = await params;
  const { checkout } = await searchParams;
  if (!(await currentSiteUser())) redirect(signInUrl(`/orders/${encodeURIComponent(id)}`));
  const result = await siteCall(registry.orders.get, { approvalId: id });
  if (!result.ok) notFound();
  const order = result.value;
  const waiting = checkout === "success" && (order.status === "approved" || order.status === "pending_approval");
  return (
    <article className="approval">
      <h1>Order</h1>
      {checkout === "success" ? (
        <div className="notice" role="status">
          <p>
            {order.status === "paid"
              ? "Thank you: your payment is confirmed."
              : waiting
                ? "Thank you. Stripe is confirming your payment; this usually takes a few seconds."
                : order.statusText + "."}
          </p>
          {waiting ? (
            <p>
              <a href="">Refresh</a>
            </p>
          ) : null}
        </div>
      ) : null}
      {checkout === "canceled" && order.status === "approved" ? (
        <div className="notice" role="status">
          <p>You left the payment page. Nothing was charged; you can continue to payment or cancel the basket.</p>
        </div>
      ) : null}
      <p>
        <span className={`badge ${order.status}`}>{order.statusText}</span> {FOR_YOU[order.status]}
      </p>
      {order.checkoutUrl ? (
        <p>
          <a className="button" href={order.checkoutUrl}>
            Continue to payment
          </a>
        </p>
      ) : null}
      <BasketTable caption="Items" total={order.total.formatted}>
        {order.items.map((item) => (
          <tr key={item.itemId}>
            <td>
              <div className="basket-item">
                <img src={item.imageUrl} alt="" width={48} height={58} loading="lazy" />
                <a href={item.pageUrl}>{item.title}</a>
              </div>
            </td>
            <td>{item.size ?? "—"}</td>
            <td className="num">{item.quantity}</td>
            <td className="num">{item.lineTotal.formatted}</td>
          </tr>
        ))}
      </BasketTable>
      <dl className="timeline">
        <dt>Created</dt>
        <dd>{dateTime.format(new Date(order.createdAt))} UTC</dd>
        {order.approvedAt ? (
          <>
            <dt>Approved</dt>
            <dd>{dateTime.format(new Date(order.approvedAt))} UTC</dd>
          </>
        ) : null}
        {order.paidAt ? (
          <>
            <dt>Paid</dt>
            <dd>{dateTime.format(new Date(order.paidAt))} UTC</dd>
          </>
        ) : null}
        {order.closedAt ? (
          <>
            <dt>Closed</dt>
            <dd>{dateTime.format(new Date(order.closedAt))} UTC</dd>
          </>
        ) : null}
      </dl>
      <p className="fine-print">
        <Link href="/orders">All your orders</Link>
      </p>
    </article>
  );
}
