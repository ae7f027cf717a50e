import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { ProductCard, type ProductCardItem } from "../product-card";
import { connectToHost, openLink, useToolResult } from "./bridge";
import "./widget.css";

/** The catalog.search widget: the items found, in a row the user can scroll. */
function ProductCarousel() {
  const result = useToolResult<{ items?: ProductCardItem[] }>();
  if (!result) return <p className="widget-status" role="status">Loading products…</p>;
  const items = result.structuredContent?.items ?? [];
  if (items.length === 0) return <p className="widget-status" role="status">Nothing matched this search.</p>;
  return (
    <ul className="carousel" aria-label="Products found">
      {items.map((item) => (
        <li key={item.id}>
          <ProductCard item={item} onOpen={openLink} headingLevel={3} />
        </li>
      ))}
    </ul>
  );
}

connectToHost();
const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <ProductCarousel />
    </StrictMode>,
  );
}
