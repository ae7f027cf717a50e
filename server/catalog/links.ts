/** Where the site shows a catalog item and serves its generated picture (first-party, for any item). */
export function productImagePath(productId: string): string {
  return `/images/products/${encodeURIComponent(productId)}.svg`;
}

export function productPagePath(productId: string): string {
  return `/catalog/${encodeURIComponent(productId)}`;
}
