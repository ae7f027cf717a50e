"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { appErrorOf, useTRPC } from "./trpc";

export function ProductDetail({ itemId }: { itemId: string }) {
  const trpc = useTRPC();
  const item = useQuery(trpc.catalog.getItem.queryOptions({ itemId }));
  if (item.isError) {
    return (
      <section className="card narrow">
        <h1>Item not found</h1>
        <p role="alert">{appErrorOf(item.error)?.message}</p>
        <Link href="/catalog">Back to the catalog</Link>
      </section>
    );
  }
  if (!item.data) return <p role="status">Loading…</p>;
  const p = item.data;
  return (
    <article className="item-detail">
      {/* eslint-disable-next-line @next/next/no-img-element -- images come from our own origin */}
      <img src={p.imageUrl} alt="" width={400} height={480} />
      <div>
        <h1>{p.title}</h1>
        <p className="lede">
          {p.brand} · <strong>{p.price.formatted}</strong>
        </p>
        <p>{p.description}</p>
        <dl>
          <dt>Sizes in stock</dt>
          <dd>{p.sizesAvailable.join(", ") || "none"}</dd>
          <dt>Colours</dt>
          <dd>{p.colors.join(", ")}</dd>
          <dt>Materials</dt>
          <dd>{p.materials.join(", ")}</dd>
          <dt>Seasons</dt>
          <dd>{p.seasons.join(", ")}</dd>
        </dl>
        <Link href="/catalog">Back to the catalog</Link>
      </div>
    </article>
  );
}
