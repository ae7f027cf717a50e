"use client";

import { keepPreviousData, useQueries } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ProductCard } from "./product-card";
import { appErrorOf, useTRPC } from "./trpc";

/** The price bands the server counts (server/search/search.ts PRICE_BANDS), as filters. */
const BANDS: Record<string, { minPrice?: number; maxPrice?: number }> = {
  "under $50": { maxPrice: 49.99 },
  "$50–$100": { minPrice: 50, maxPrice: 99.99 },
  "$100–$200": { minPrice: 100, maxPrice: 199.99 },
  "$200–$500": { minPrice: 200, maxPrice: 499.99 },
  "$500 and up": { minPrice: 500 },
};

type FacetName = "department" | "category" | "color" | "size" | "priceBand";
const FACETS: Array<{ name: FacetName; label: string }> = [
  { name: "department", label: "Department" },
  { name: "category", label: "Category" },
  { name: "priceBand", label: "Price" },
  { name: "color", label: "Colour" },
  { name: "size", label: "Size" },
];

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/**
 * The site's catalog: the same catalog.search the assistant calls, with the shopper's words understood
 * the same way, facet counts to narrow by, why each item ranks, and more pages on request.
 */
export function CatalogSearch() {
  const trpc = useTRPC();
  const [q, setQ] = useState("");
  const [selected, setSelected] = useState<Record<FacetName, string[]>>({ department: [], category: [], color: [], size: [], priceBand: [] });
  const debouncedQ = useDebounced(q, 250);
  const band = selected.priceBand[0] ? BANDS[selected.priceBand[0]] : undefined;
  const filters = {
    ...(selected.department.length ? { department: selected.department as Array<"women" | "men" | "unisex" | "kids"> } : {}),
    ...(selected.category.length ? { category: selected.category } : {}),
    ...(selected.color.length ? { color: selected.color } : {}),
    ...(selected.size.length ? { size: selected.size } : {}),
    ...(band ?? {}),
  };
  // Pages by cursor (not tRPC's infinite queries: they add a `direction` input the strict schema refuses).
  const input = { q: debouncedQ || undefined, filters, limit: 24, facets: true };
  const inputKey = JSON.stringify(input);
  const [pages, setPages] = useState<{ key: string; cursors: string[] }>({ key: inputKey, cursors: [] });
  const cursors = pages.key === inputKey ? pages.cursors : [];
  const results = useQueries({
    queries: [undefined, ...cursors].map((cursor, i) => ({
      ...trpc.catalog.search.queryOptions({ ...input, ...(cursor ? { cursor } : {}), facets: i === 0 }),
      placeholderData: i === 0 ? keepPreviousData : undefined,
    })),
  });
  const first = results[0]?.data;
  const last = results[results.length - 1];
  const items = results.flatMap((r) => r.data?.items ?? []);
  const search = {
    isError: results.some((r) => r.isError),
    error: results.find((r) => r.error)?.error,
    isFetching: results.some((r) => r.isFetching),
    hasNextPage: Boolean(last?.data?.nextCursor),
    isFetchingNextPage: Boolean(last?.isFetching && cursors.length > 0),
    fetchNextPage: () => last?.data?.nextCursor && setPages({ key: inputKey, cursors: [...cursors, last.data.nextCursor] }),
  };
  const toggle = (name: FacetName, value: string) =>
    setSelected((s) => {
      const on = s[name].includes(value);
      const single = name === "priceBand" || name === "category";
      return { ...s, [name]: on ? s[name].filter((v) => v !== value) : single ? [value] : [...s[name], value] };
    });

  return (
    <div className="catalog">
      <form className="search-bar catalog-bar" role="search" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="q" className="visually-hidden">
          Search the catalog
        </label>
        <input
          id="q"
          type="search"
          placeholder="Try “black dress for a wedding under 200” or “warm coat for men”"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
      </form>
      {first ? (
        <p className="understood" role="status">
          <strong>{first.total.toLocaleString("en-US")}</strong> item{first.total === 1 ? "" : "s"}
          {first.query.understood ? (
            <>
              {" "}
              for <span className="understood-query">{first.query.understood}</span>
            </>
          ) : null}
          {first.query.ignored.length ? <span className="ignored"> (not required: {first.query.ignored.join(", ")})</span> : null}
        </p>
      ) : null}
      {search.isError ? <p role="alert">{appErrorOf(search.error)?.message}</p> : null}
      <div className="catalog-layout">
        <aside className="facets" aria-label="Narrow the results">
          {FACETS.map(({ name, label }) => {
            const counts = first?.facets?.[name] ?? [];
            const shown = [...new Set([...selected[name], ...counts.map((c) => c.value)])];
            if (shown.length === 0) return null;
            return (
              <fieldset key={name} className="facet">
                <legend>{label}</legend>
                {shown.slice(0, name === "size" || name === "color" ? 12 : 10).map((value) => {
                  const count = counts.find((c) => c.value === value)?.count ?? 0;
                  const id = `facet-${name}-${value.replace(/[^a-z0-9]+/gi, "-")}`;
                  return (
                    <div key={value} className="facet-option">
                      <input id={id} type="checkbox" checked={selected[name].includes(value)} onChange={() => toggle(name, value)} />
                      <label htmlFor={id}>
                        {value} <span className="count">{count.toLocaleString("en-US")}</span>
                      </label>
                    </div>
                  );
                })}
              </fieldset>
            );
          })}
        </aside>
        <div>
          {first && items.length === 0 ? <p role="status">Nothing matched. Try other words or fewer filters.</p> : null}
          <ul className="product-grid" aria-busy={search.isFetching}>
            {items.map((item) => (
              <li key={item.id}>
                <ProductCard item={item} />
                <p className="why">{item.why}</p>
              </li>
            ))}
          </ul>
          {search.hasNextPage ? (
            <button type="button" className="more" onClick={() => search.fetchNextPage()} disabled={search.isFetchingNextPage}>
              {search.isFetchingNextPage ? "Loading…" : "Show more"}
            </button>
          ) : null}
        </div>
      </div>
    </div>
  );
}
