import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { currentSiteUser } from "@/server/auth/auth0";
import { registry } from "@/server/procedures";
import { signInUrl, siteCall } from "@/server/site";

export const metadata: Metadata = { title: "Your orders" };

const date = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });

/** Every basket ChatGPT prepared for the user, and where each stands. */
export default async function OrdersPage() {
  if (!(await currentSiteUser())) redirect(signInUrl("/orders"));
  const result = await siteCall(registry.orders.list, {});
  if (!result.ok) throw new Error(result.error.message);
  const { orders } = result.value;
  return (
    <section>
      <h1>Your orders</h1>
      <p className="lede">Baskets ChatGPT prepared for you, newest first. Open one to approve, pay or see its receipt.</p>
      {orders.length === 0 ? (
        <p>
          No orders yet. Ask Stylist in ChatGPT to put together a basket, or browse the <Link href="/catalog">catalog</Link>.
        </p>
      ) : (
        <ul className="orders">
          {orders.map((order) => (
            <li key={order.approvalId}>
              {order.imageUrl ? <img src={order.imageUrl} alt="" width={48} height={58} loading="lazy" /> : null}
              <div className="order-main">
                <Link href={`/orders/${order.approvalId}`}>
                  {order.itemCount} item{order.itemCount === 1 ? "" : "s"} · {order.total.formatted}
                </Link>
                <div className="muted">Created {date.format(new Date(order.createdAt))}</div>
              </div>
              <span className={`badge ${order.status}`}>{order.statusText}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
