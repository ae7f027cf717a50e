import type { MouseEvent } from "react";
import "./product-card.css";

/** What a card shows: the fields of catalog.search's items, shared by the site and the ChatGPT widget. */
export interface ProductCardItem {
  id: string;
  title: string;
  brand: string;
  price: { formatted: string };
  imageUrl: string;
  sizesAvailable: string[];
  pageUrl: string;
}

/**
 * One product. Presentational only: the site passes nothing to `onOpen` (the link navigates), the
 * widget passes its host bridge so the item opens on our site in a new tab.
 */
export function ProductCard({ item, onOpen, headingLevel = 2 }: { item: ProductCardItem; onOpen?: (url: string) => void; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const open = (event: MouseEvent<HTMLAnchorElement>) => {
    if (!onOpen) return;
    event.preventDefault();
    onOpen(item.pageUrl);
  };
  return (
    <article className="product-card">
      {/* eslint-disable-next-line @next/next/no-img-element -- images come from our own origin */}
      <img src={item.imageUrl} alt="" width={200} height={240} loading="lazy" />
      <Heading>{item.title}</Heading>
      <p className="meta">
        <span>{item.brand}</span> · <strong>{item.price.formatted}</strong>
      </p>
      <p className="sizes">Sizes: {item.sizesAvailable.length > 0 ? item.sizesAvailable.join(", ") : "none in stock"}</p>
      <a className="open" href={item.pageUrl} target={onOpen ? "_blank" : undefined} rel="noopener noreferrer" onClick={open} aria-label={`View ${item.title} on Stylist`}>
        {onOpen ? "View on Stylist ↗" : "Details"}
      </a>
    </article>
  );
}
