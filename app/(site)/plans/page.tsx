import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { currentSiteUser } from "@/server/auth/auth0";
import { registry } from "@/server/procedures";
import { signInUrl, siteCall } from "@/server/site";

export const metadata: Metadata = { title: "Your plans" };

/** Capsules and outfit plans ChatGPT made for the user, newest first. */
export default async function PlansPage() {
  if (!(await currentSiteUser())) redirect(signInUrl("/plans"));
  const result = await siteCall(registry.plan.list, {});
  if (!result.ok) throw new Error(result.error.message);
  const { plans } = result.value;
  return (
    <section>
      <h1>Your plans</h1>
      <p className="lede">Capsule wardrobes and outfits planned within your budget. Ask Stylist in ChatGPT for a new one.</p>
      {plans.length === 0 ? (
        <p>No plans yet. In ChatGPT, ask Stylist to plan a capsule for next month.</p>
      ) : (
        <ul className="orders">
          {plans.map((plan) => (
            <li key={plan.planId}>
              {plan.imageUrl ? <img src={plan.imageUrl} alt="" width={48} height={58} loading="lazy" /> : null}
              <div className="order-main">
                <Link href={`/plans/${plan.planId}`}>
                  {plan.kind === "capsule" ? "Capsule" : "Outfits"} for {plan.month}: {plan.outfitCount} outfit{plan.outfitCount === 1 ? "" : "s"}
                </Link>
                <div className="muted">
                  New pieces {plan.total.formatted}
                  {plan.budget ? ` of a ${plan.budget.formatted} budget` : ""}
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
