import { CATEGORIES } from "@/db/seed/vocabulary";
import type { CatalogIndex } from "./index";
import { parseQuery, singular, type Clause, type ParsedQuery, type Vocabulary } from "./parse";
import { spellingFor, type Spelling } from "./spelling";

/** Garment words: a query word naming one weighs most (a navy t-shirt is not a navy blazer). */
const GARMENTS = new Set(
  [
    ...CATEGORIES.map((c) => c.slug),
    ...CATEGORIES.flatMap((c) => c.subcategories.flatMap((s) => [s.slug.split("-").at(-1)!, s.noun.toLowerCase().split(/\s+/).at(-1)!])),
    "tshirt", "polo", "trench", "gown", "bag", "sunglasses", "sneaker", "heel", "boot", "jeans", "trousers",
  ].map((w) => singular(w.replace(/[^a-z]/g, ""))),
);

/** What else a garment word covers in everyday speech. */
const RELATED = new Map([
  ["jacket", ["sub:parkas", "sub:track-jackets"]],
  ["coat", ["sub:parkas", "sub:trench-coats"]],
  ["shoe", ["cat:shoes"]],
  ["shoes", ["cat:shoes"]],
  ["tops", ["cat:tops"]],
  ["dress", ["cat:dresses"]],
]);

const understanding = new WeakMap<CatalogIndex, { vocabulary: Vocabulary; spelling: Spelling }>();

/** The shopper's words as structure, against this index's vocabulary (cached per index). */
export function understand(index: CatalogIndex, q: string): ParsedQuery {
  let u = understanding.get(index);
  if (!u) {
    u = {
      vocabulary: {
        colors: new Set(index.colorNames.values),
        materials: index.materialWords,
        patterns: index.patterns,
        styles: new Set(index.styles.values),
        garments: GARMENTS,
        related: RELATED,
        exact: exactGarments(index),
      },
      spelling: spellingFor(index.vocabulary),
    };
    understanding.set(index, u);
  }
  return parseQuery(q, u.vocabulary, u.spelling);
}

/** "shirt" names the shirts subcategory, "dress" the dresses category: single-word slugs, singular. */
function exactGarments(index: CatalogIndex): Map<string, string> {
  const exact = new Map<string, string>();
  for (const slug of index.categories.values) exact.set(singular(slug), `cat:${slug}`);
  for (const slug of index.subcategories.values) if (/^[a-z]+$/.test(slug)) exact.set(singular(slug), `sub:${slug}`);
  exact.set("tshirt", "sub:tshirts");
  return exact;
}

const ATTRIBUTE_KINDS: ReadonlySet<Clause["kind"]> = new Set(["occasion", "weather", "fit", "length", "tier"]);

/** An attribute clause (occasion, weather, fit, length, tier), as opposed to words the shopper typed. */
export function isAttribute(clause: Clause): boolean {
  return ATTRIBUTE_KINDS.has(clause.kind);
}

/** The attribute value a clause asks for ("o:wedding-guest" -> "wedding-guest"). */
export function attributeValue(clause: Clause): string {
  return clause.tokens[0]!.slice(clause.tokens[0]!.indexOf(":") + 1);
}

/** One sentence the model can relay or adjust: "black dress · occasion: wedding-guest · for women · under $200". */
export function describeUnderstanding(parsed: ParsedQuery): string {
  const parts = parsed.clauses.map((c) => (isAttribute(c) ? `${c.kind}: ${attributeValue(c)}` : c.label));
  if (parsed.department) parts.push(`department: ${parsed.department}`);
  if (parsed.minPriceMinor !== undefined && parsed.maxPriceMinor !== undefined) parts.push(`$${parsed.minPriceMinor / 100}–$${parsed.maxPriceMinor / 100}`);
  else if (parsed.maxPriceMinor !== undefined) parts.push(`at most $${parsed.maxPriceMinor / 100}`);
  else if (parsed.minPriceMinor !== undefined) parts.push(`at least $${parsed.minPriceMinor / 100}`);
  if (parsed.sizes.length) parts.push(`size ${parsed.sizes.join(" or ")}`);
  for (const e of parsed.exclude) parts.push(e.label);
  for (const c of parsed.corrections) parts.push(`"${c.from}" read as "${c.to}"`);
  return parts.join(" · ");
}
