/**
 * What makes an outfit wearable, written down once. The optimiser only ever chooses among outfits
 * these rules accept, and the property tests check every planned outfit against them.
 *
 * 1. Structure: top + bottom + shoes, or dress + shoes; in winter, with one piece of warm outerwear (a
 *    coat, a parka, wool or tweed: "warm" in server/catalog/attributes.ts; a denim jacket is not).
 * 2. Formality: every piece within one step of the others (a 1–5 scale: lounge … black tie).
 * 3. Colour harmony: neutrals (black, white, navy, grays, beiges, browns) go with anything; at most one
 *    statement piece (a non-neutral colour or any pattern but solid) per outfit.
 * 4. Season: every piece is made for the plan's season (the month, flipped south of the equator).
 * 5. The person: in stock in their size when their size for that kind of piece is known; nothing they
 *    rated down.
 * 6. Sportswear stays together: an activewear top or bottom only with activewear and sneakers.
 * 7. Accessories when the weather or the occasion calls for them: in winter a scarf or a hat; for
 *    occasions in the person's goals (work, a wedding, a party, an evening out…) a bag or a belt. At most
 *    one per outfit, under the same formality and colour rules, and none otherwise. They are added from
 *    the budget the plan leaves (accessories.ts), so a tight budget is never made impossible by them.
 */

export type Role = "top" | "bottom" | "dress" | "shoes" | "outerwear" | "accessory";
export type Season = "spring" | "summer" | "autumn" | "winter";

export interface PlanItem {
  id: string;
  title: string;
  brand: string;
  category: string;
  subcategory: string;
  colors: string[];
  pattern: string;
  formality: number;
  seasons: string[];
  styleTags: string[];
  /** When it is worn (server/catalog/attributes.ts): work, party, weekend… */
  occasions: string[];
  /** What weather it is made for (server/catalog/attributes.ts): warm, waterproof, breathable. */
  weather: string[];
  priceMinor: number;
  /** Already the user's: costs nothing in the budget. */
  owned: boolean;
  /** The user rated it up. */
  liked: boolean;
  /** How much this person should like it (affinityOf in server/planning/candidates.ts). */
  affinity: number;
}

export const NEUTRALS = new Set(["black", "white", "navy", "gray", "charcoal", "beige", "camel", "cream", "khaki", "brown", "silver"]);

const ACTIVE_BOTTOMS = new Set(["leggings", "running-shorts"]);
const ACTIVE_TOPS = new Set(["sports-bras"]);

export function roleOf(item: Pick<PlanItem, "category" | "subcategory">): Role {
  switch (item.category) {
    case "tops":
      return "top";
    case "bottoms":
      return "bottom";
    case "dresses":
      return "dress";
    case "shoes":
      return "shoes";
    case "outerwear":
      return "outerwear";
    case "activewear":
      return ACTIVE_BOTTOMS.has(item.subcategory) ? "bottom" : ACTIVE_TOPS.has(item.subcategory) ? "top" : item.subcategory === "track-jackets" ? "outerwear" : "top";
    default:
      return "accessory";
  }
}

export function isStatement(item: Pick<PlanItem, "colors" | "pattern">): boolean {
  return item.pattern !== "solid" || item.colors.some((c) => !NEUTRALS.has(c));
}

/** Rule 4: northern months, flipped for the southern hemisphere. */
export function seasonOf(month: string, southern: boolean): Season {
  const m = Number(month.slice(5, 7));
  const north: Season = m === 12 || m <= 2 ? "winter" : m <= 5 ? "spring" : m <= 8 ? "summer" : "autumn";
  if (!southern) return north;
  return ({ winter: "summer", spring: "autumn", summer: "winter", autumn: "spring" } as const)[north];
}

/** Countries wholly or mostly south of the equator (ISO 3166 alpha-2). */
const SOUTHERN = new Set(["AR", "AU", "BO", "BR", "BW", "CL", "FJ", "LS", "MG", "MU", "MW", "MZ", "NA", "NZ", "PE", "PY", "SZ", "UY", "ZA", "ZM", "ZW"]);

export function isSouthern(country: string | null | undefined): boolean {
  return country ? SOUTHERN.has(country.toUpperCase()) : false;
}

export function needsOuterwear(season: Season): boolean {
  return season === "winter";
}

/** Outerwear that keeps the cold out, as the catalog's attributes say (rule 1). */
export function isWarm(item: Pick<PlanItem, "weather">): boolean {
  return item.weather.includes("warm");
}

/** Rule 7: which accessory the outfits of a plan may take, and why (null: none). */
export interface AccessoryNeed {
  reason: "cold" | "occasion";
  subcategories: readonly string[];
}

const COLD: AccessoryNeed = { reason: "cold", subcategories: ["scarves", "hats"] };
const OCCASION: AccessoryNeed = { reason: "occasion", subcategories: ["bags", "belts"] };
const OCCASION_WORDS = ["wedding", "party", "parties", "event", "evening", "gala", "interview", "office", "work", "business", "date", "dinner", "formal"];

export function accessoryNeed(season: Season, goalWords: readonly string[]): AccessoryNeed | null {
  if (season === "winter") return COLD;
  const words = goalWords.map((w) => w.toLowerCase());
  if (words.some((w) => OCCASION_WORDS.some((o) => w === o || w.startsWith(o)))) return OCCASION;
  return null;
}

/** The accessory need an existing outfit was planned under, read from its pieces (for swaps). */
export function accessoryNeedOf(items: readonly Pick<PlanItem, "category" | "subcategory">[]): AccessoryNeed | null {
  const accessory = items.find((i) => roleOf(i) === "accessory");
  if (!accessory) return null;
  return COLD.subcategories.includes(accessory.subcategory) ? COLD : OCCASION;
}

/**
 * Rules 1–3 and 7 for a set of pieces (season and the person are checked when the pool is built).
 * `accessory`: what the plan's month and goals call for (null: no accessory); undefined accepts either kind.
 */
export function outfitProblem(
  items: readonly Pick<PlanItem, "category" | "subcategory" | "colors" | "pattern" | "formality" | "weather">[],
  season: Season,
  accessory?: AccessoryNeed | null,
): string | null {
  const roles = items.map(roleOf).sort();
  const count = (role: Role) => roles.filter((r) => r === role).length;
  const base = count("dress") === 1 ? count("top") === 0 && count("bottom") === 0 : count("top") === 1 && count("bottom") === 1 && count("dress") === 0;
  if (!base || count("shoes") !== 1) return "an outfit is top + bottom + shoes, or dress + shoes";
  const accessories = items.filter((i) => roleOf(i) === "accessory");
  const allowed = accessory === undefined ? accessoryNeedOf(items) : accessory;
  if (accessories.length > 1) return "at most one accessory";
  if (accessories.length === 1 && !allowed) return "no accessory unless the weather or the occasion calls for one";
  if (accessories.length === 1 && !allowed!.subcategories.includes(accessories[0]!.subcategory)) return `this month calls for ${allowed!.subcategories.join(" or ")}`;
  if (count("outerwear") !== (needsOuterwear(season) ? 1 : 0)) return needsOuterwear(season) ? "a winter outfit needs one piece of outerwear" : "outerwear only in winter";
  if (needsOuterwear(season) && !items.some((i) => roleOf(i) === "outerwear" && isWarm(i))) return "a winter outfit needs warm outerwear (a coat, a parka, wool…)";
  const formalities = items.map((i) => i.formality);
  if (Math.max(...formalities) - Math.min(...formalities) > 1) return "pieces more than one formality step apart";
  if (items.filter(isStatement).length > 1) return "more than one statement colour or pattern";
  const sporty = items.filter((i) => i.category === "activewear" && roleOf(i) !== "outerwear");
  if (sporty.length > 0) {
    const clothes = items.filter((i) => roleOf(i) === "top" || roleOf(i) === "bottom" || roleOf(i) === "dress");
    const shoes = items.find((i) => roleOf(i) === "shoes");
    if (sporty.length !== clothes.length || shoes?.subcategory !== "sneakers") return "sportswear goes with sportswear and sneakers only";
  }
  return null;
}

export function inSeason(item: Pick<PlanItem, "seasons">, season: Season): boolean {
  return item.seasons.includes(season);
}
