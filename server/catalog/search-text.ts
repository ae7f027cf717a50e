/**
 * The one normaliser applied to both catalog text and shoppers' queries, so that spelling variants
 * meet: "T-Shirt", "t shirt", "tee" and "tshirts" all become "tshirt". Stemming ("jackets" -> "jacket")
 * is left to Postgres's english text-search configuration; typos are corrected against the index's
 * vocabulary (db/repos/catalog.ts).
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

const MAX_TOKENS = 12;

export function normalizeText(text: string): string {
  let out = text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  for (const [pattern, replacement] of PHRASES) out = out.replace(pattern, replacement);
  return out
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .replace(/\s+/g, " ");
}

/** Query words, deduplicated and bounded; only [a-z0-9], so they are safe inside a tsquery. */
export function queryTokens(query: string): string[] {
  const tokens = normalizeText(query).split(" ").filter((t) => t.length > 0);
  return [...new Set(tokens)].slice(0, MAX_TOKENS);
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
