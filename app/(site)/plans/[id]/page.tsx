import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { currentSiteUser } from "@/server/auth/auth0";
import { productImagePath, productPagePath } from "@/server/catalog/links";
import { registry } from "@/server/procedures";
import { signInUrl, siteCall } from "@/server/site";

export const metadata: Metadata = { title: "Plan" };

/** One plan: each outfit with its pieces' pictures, why it works, and what the new pieces cost per wear. */
export default async function PlanPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!(await currentSiteUser())) redirect(signInUrl(`/plans/${encodeURIComponent(id)}`));
  const result = await siteCall(registry.plan.get, { planId: id });
  if (!result.ok) notFound();
  const plan = result.value;
  return (
    <article>
      <h1>
        {plan.kind === "capsule" ? "Capsule" : "Outfits"} for {plan.month} <span className="muted">({plan.season})</span>
      </h1>
      <p className="lede">{plan.summary}</p>
      <dl className="timeline">
        <dt>New pieces</dt>
        <dd>{plan.total.formatted}</dd>
        <dt>Budget</dt>
        <dd>{plan.budget.formatted}</dd>
        <dt>Left</dt>
        <dd>{plan.budgetLeft.formatted}</dd>
        <dt>Optimiser</dt>
        <dd>
          {plan.solver.status === "optimal" ? "proven best" : `within ${(plan.solver.gap * 100).toFixed(1)}% of the best`} among{" "}
          {plan.solver.candidates.toLocaleString("en-US")} wearable outfits
        </dd>
      </dl>
      <ol className="outfits">
        {plan.outfits.map((outfit) => (
          <li key={outfit.outfitId} className="card">
            <h2>{outfit.name}</h2>
            <p className="muted">{outfit.why}</p>
            <ul className="outfit-pieces">
              {outfit.items.map((item) => (
                <li key={item.itemId}>
                  <Link href={productPagePath(item.itemId)}>
                    <img src={productImagePath(item.itemId)} alt="" width={90} height={108} loading="lazy" />
                    <span>{item.title}</span>
                  </Link>
                  {item.owned ? <span className="badge">Yours</span> : null}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
      <h2>New pieces</h2>
      <table className="basket">
        <caption className="visually-hidden">New pieces, with cost per wear</caption>
        <thead>
          <tr>
            <th scope="col">Piece</th>
            <th scope="col" className="num">
              Price
            </th>
            <th scope="col" className="num">
              Outfits
            </th>
            <th scope="col" className="num">
              Per wear
            </th>
          </tr>
        </thead>
        <tbody>
          {plan.newItems.map((item) => (
            <tr key={item.itemId}>
              <td>
                <Link href={productPagePath(item.itemId)}>{item.title}</Link>
              </td>
              <td className="num">{item.price.formatted}</td>
              <td className="num">{item.wears}</td>
              <td className="num">{item.costPerWear.formatted}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td className="num total">{plan.total.formatted}</td>
            <td colSpan={2} />
          </tr>
        </tfoot>
      </table>
      <p className="fine-print">
        <Link href="/plans">All your plans</Link>
      </p>
    </article>
  );
}
