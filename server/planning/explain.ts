import { CATEGORIES } from "@/db/seed/vocabulary";
import { isStatement, roleOf, type PlanItem, type Season } from "./rules";
import { goalOccasionOf, type PersonSignals } from "./candidates";

/** Names and reasons the model can relay, built from the pieces and the person's own signals. */

const OCCASION = ["lounge", "weekend", "day", "office", "smart", "evening"];

export function occasionOf(items: readonly Pick<PlanItem, "formality">[]): string {
  const average = items.reduce((sum, i) => sum + i.formality, 0) / Math.max(items.length, 1);
  return OCCASION[Math.min(5, Math.max(1, Math.round(average)))]!;
}

/**
 * e.g. "Navy blazer office look". `taken` holds the names already given in the plan: a repeated name gets
 * the piece that tells it apart ("… with beige linen shorts").
 */
export function outfitName(items: readonly PlanItem[], taken: ReadonlySet<string> = new Set()): string {
  const hero = items.find(isStatement) ?? items.find((i) => i.liked) ?? items.find((i) => roleOf(i) === "dress" || roleOf(i) === "outerwear") ?? items[0]!;
  const base = capitalise(`${hero.colors[0] ?? ""} ${nounOf(hero)} ${occasionOf(items)} look`.trim());
  if (!taken.has(base)) return base;
  for (const other of items.filter((i) => i !== hero)) {
    const name = `${base} with ${other.colors[0] ?? ""} ${nounOf(other)}`.replace(/\s+/g, " ");
    if (!taken.has(name)) return name;
  }
  for (let n = 2; ; n++) if (!taken.has(`${base} ${n}`)) return `${base} ${n}`;
}

/** One sentence on why it works, citing the person's own signals when there are any. */
export function outfitWhy(items: readonly PlanItem[], season: Season, person: PersonSignals): string {
  const statement = items.find(isStatement);
  const liked = items.filter((i) => i.liked);
  const tags = new Set(person.styleTags.map((t) => t.toLowerCase()));
  const shared = [...new Set(items.flatMap((i) => i.styleTags).filter((t) => tags.has(t.toLowerCase())))];
  const parts: string[] = [];
  parts.push(
    statement
      ? `The ${statement.colors[0]} ${nounOf(statement)} ${isPlural(nounOf(statement)) ? "are" : "is"} the one statement piece against neutrals`
      : "All neutrals, so every piece mixes with the rest",
  );
  if (liked.length > 0) parts.push(`built around the ${liked.map(nounOf).join(" and ")} you liked`);
  else if (shared.length > 0) parts.push(`in your ${shared.slice(0, 2).join(" and ")} style`);
  parts.push(`${occasionOf(items)}-level pieces made for ${season}`);
  const made = goalOccasionOf(items, person);
  if (made) parts.push(`every piece made for ${occasionWords(made)}, as your goals ask`);
  if (items.some((i) => i.owned)) parts.push(`reusing ${items.filter((i) => i.owned).length === 1 ? "a piece" : "pieces"} you already own`);
  return `${parts.join("; ")}.`;
}

/** The plan in a sentence: what anchors it, in the person's terms ("navy anchors four of these outfits"). */
export function planSummary(outfits: readonly PlanItem[][], person: PersonSignals): string {
  const colourCounts = new Map<string, number>();
  for (const outfit of outfits) for (const colour of new Set(outfit.flatMap((i) => i.colors))) colourCounts.set(colour, (colourCounts.get(colour) ?? 0) + 1);
  const [anchor, count] = [...colourCounts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] ?? ["", 0];
  const likedPieces = new Set(outfits.flatMap((o) => o.filter((i) => i.liked).map((i) => i.id))).size;
  const parts = [`${capitalise(anchor)} anchors ${count} of these ${outfits.length} outfit${outfits.length === 1 ? "" : "s"}`];
  if (likedPieces > 0) parts.push(`${likedPieces} piece${likedPieces === 1 ? "" : "s"} you liked ${likedPieces === 1 ? "is" : "are"} in it`);
  if (person.styleTags.length > 0) parts.push(`chosen for your ${person.styleTags.slice(0, 2).join(" and ")} style`);
  const occasions = person.goalOccasions ?? [];
  if (occasions.length > 0) {
    const made = outfits.filter((o) => goalOccasionOf(o, person) !== null).length;
    const what = occasions.map(occasionWords).join(" or ");
    parts.push(
      made > 0
        ? `${made} of the ${outfits.length} outfit${outfits.length === 1 ? " is" : "s are"} made for ${what} in every piece, as your goals ask`
        : `none is made for ${what} in every piece, though your goals ask for it`,
    );
  }
  return `${parts.join("; ")}.`;
}

/** The catalog's occasions (server/catalog/attributes.ts) as a sentence says them. */
const occasionWords = (occasion: string): string => OCCASION_WORDS[occasion] ?? occasion;
const OCCASION_WORDS: Record<string, string> = {
  work: "work",
  "wedding-guest": "a wedding",
  party: "parties",
  evening: "evenings out",
  beach: "the beach",
  travel: "travel",
  sport: "sport",
  lounge: "lounging",
  weekend: "the weekend",
};

const NOUNS = new Map(CATEGORIES.flatMap((c) => c.subcategories.map((sub) => [sub.slug, sub.noun.toLowerCase()] as const)));

/** "t-shirt", "jeans", "midi dress": the catalog's own noun for the kind of piece. */
export function nounOf(item: Pick<PlanItem, "subcategory">): string {
  return NOUNS.get(item.subcategory) ?? item.subcategory.replace(/-/g, " ");
}

function isPlural(noun: string): boolean {
  return /s$/.test(noun) && !/ss$/.test(noun);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
