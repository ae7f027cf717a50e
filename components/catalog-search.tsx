"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ProductCard } from "./product-card";
import { appErrorOf, useTRPC } from "./trpc";

const CATEGORIES = ["", "tops", "bottoms", "dresses", "outerwear", "shoes", "accessories", "activewear"];

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function CatalogSearch() {
  const trpc = useTRPC();
  const [q, setQ] = useState("");
  const [category, setCategory] = useState("");
  const [maxPrice, setMaxPrice] = useState("");
  const debouncedQ = useDebounced(q, 250);
  const max = Number(maxPrice);
  const filters = {
    ...(category ? { category: [category] } : {}),
    ...(maxPrice !== "" && Number.isFinite(max) && max >= 0 ? { maxPrice: max } : {}),
  };
  const search = useQuery({
    ...trpc.catalog.search.queryOptions({ q: debouncedQ || undefined, filters, limit: 24 }),
    placeholderData: keepPreviousData,
  });

  return (
    <div>
      <form className="search-bar" role="search" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="q" className="visually-hidden">
          Search the catalog
        </label>
        <input id="q" type="search" placeholder="Try “navy wool coat” or “tee”" value={q} onChange={(e) => setQ(e.target.value)} />
        <label htmlFor="category" className="visually-hidden">
          Category
        </label>
        <select id="category" value={category} onChange={(e) => setCategory(e.target.value)}>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {c === "" ? "All categories" : c}
            </option>
          ))}
        </select>
        <label htmlFor="max-price" className="visually-hidden">
          Maximum price (USD)
        </label>
        <input id="max-price" inputMode="decimal" placeholder="Max $" value={maxPrice} onChange={(e) => setMaxPrice(e.target.value)} />
      </form>
      {search.isError ? <p role="alert">{appErrorOf(search.error)?.message}</p> : null}
      {search.data && search.data.items.length === 0 ? (
        <p role="status">Nothing matched. Try fewer words or a wider price range.</p>
      ) : null}
      <ul className="product-grid" aria-busy={search.isFetching}>
        {search.data?.items.map((item) => (
          <li key={item.id}>
            <ProductCard item={item} />
          </li>
        ))}
      </ul>
    </div>
  );
}
