/**
 * The one normaliser applied to both catalog text and shoppers' queries, so that spelling variants
 * meet: "T-Shirt", "t shirt", "tee" and "tshirts" all become "tshirt". Singular forms ("jackets" ->
 * "jacket") and typo correction happen in the search index and the query parser (server/search/).
 */

const PHRASES: Array<[RegExp, string]> = [
  [/\bt[\s-]?shirts?\b/g, "tshirt"],
  [/\btees?\b/g, "tshirt"],
  [/\bpolo[\s-]shirts?\b/g, "polo"],
  [/\bhood(?:ie|y)s?\b/g, "hoodie"],
  [/\bsweat[\s-]?shirts?\b/g, "sweatshirt"],
  [/\b(?:jumpers?|pullovers?)\b/g, "sweater"],
  [/\b(?:trainers?|sneakers?|kicks)\b/g, "sneaker"],
  [/\b(?:pants|trouser)\b/g, "trousers"],
  [/\bjean\b/g, "jeans"],
  [/\bhand[\s-]?bags?\b/g, "bag"],
  [/\bpurses?\b/g, "bag"],
  [/\bsun[\s-]?glasses\b/g, "sunglasses"],
  [/\bblazer jackets?\b/g, "blazer"],
  [/\bgrey\b/g, "gray"],
];

export function normalizeText(text: string): string {
  let out = text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  for (const [pattern, replacement] of PHRASES) out = out.replace(pattern, replacement);
  return out
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .replace(/\s+/g, " ");
}

export interface SearchableFields {
  title: string;
  brand: string;
  category: string;
  subcategory: string;
  colors: readonly string[];
  materials: readonly string[];
  pattern: string;
  styleTags: readonly string[];
  seasons: readonly string[];
}

export function buildSearchText(p: SearchableFields): string {
  return normalizeText(
    [p.title, p.brand, p.category, p.subcategory, ...p.colors, ...p.materials, p.pattern, ...p.styleTags, ...p.seasons].join(
      " ",
    ),
  );
}
