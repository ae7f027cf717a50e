/**
 * What a shopper asks for that a garment's name does not say: who it is for (department), when it is
 * worn (occasions), how it copes with the weather, its fit and its length. Derived from the stored
 * attributes (subcategory, materials, formality, pattern, title) by the rules below, for generated and
 * imported items alike, so search, the site's facets and the planner read one vocabulary.
 */

export const DEPARTMENTS = ["women", "men", "unisex", "kids"] as const;
export type Department = (typeof DEPARTMENTS)[number];

export const OCCASIONS = ["work", "wedding-guest", "party", "evening", "beach", "travel", "sport", "lounge", "weekend"] as const;
export type Occasion = (typeof OCCASIONS)[number];

export const WEATHER = ["warm", "waterproof", "breathable"] as const;
export type Weather = (typeof WEATHER)[number];

export const FITS = ["slim", "regular", "relaxed", "oversized", "wide-leg", "cropped", "tailored"] as const;
export type Fit = (typeof FITS)[number];

export const LENGTHS = ["mini", "knee", "midi", "maxi"] as const;
export type Length = (typeof LENGTHS)[number];

export interface DerivableFields {
  title: string;
  category: string;
  subcategory: string;
  materials: readonly string[];
  pattern: string;
  formality: number;
  styleTags: readonly string[];
}

export interface DerivedAttributes {
  occasions: Occasion[];
  weather: Weather[];
  fit: Fit | null;
  length: Length | null;
}

const WARM = /wool|cashmere|fleece|tweed|bouclé|boucle|corduroy|felt|velvet|shearling|down|sherpa|quilted|puffer/;
const WATERPROOF = /waterproof|water-repellent|water repellent|gore-tex|rubber|waxed|nylon|recycled polyester/;
const BREATHABLE = /linen|cotton|mesh|chiffon|raffia|straw|jersey|modal|seersucker|canvas/;
const EVENING_FABRIC = /silk|satin|velvet|sequin|tulle|chiffon|crepe/;
const PARTY_FABRIC = /satin|velvet|sequin|metallic|lamé/;

const WORK_SUBS = new Set([
  "shirts", "blouses", "sweaters", "polos", "trousers", "skirts", "midi-dresses", "shirt-dresses", "blazers", "coats",
  "trench-coats", "loafers", "heels", "bags", "belts",
]);
const WEDDING_SUBS = new Set(["midi-dresses", "maxi-dresses", "evening-gowns", "blazers", "heels", "loafers", "shirts", "blouses", "trousers"]);
const BEACH_SUBS = new Set(["sandals", "shorts", "sunglasses", "tshirts"]);
const TRAVEL_SUBS = new Set(["tshirts", "hoodies", "sneakers", "leggings", "trench-coats", "parkas", "bags", "track-jackets", "jeans"]);
const LOUNGE_SUBS = new Set(["hoodies", "tshirts", "sweaters", "leggings", "shorts"]);
const OUTER_OR_SHOES = new Set(["outerwear", "shoes"]);
const FITTED_CATEGORIES = new Set(["tops", "bottoms", "dresses", "outerwear", "activewear"]);

export function deriveAttributes(p: DerivableFields): DerivedAttributes {
  const material = p.materials.join(" ").toLowerCase();
  const title = p.title.toLowerCase();
  const sub = p.subcategory;
  const occasions = new Set<Occasion>();

  if (WORK_SUBS.has(sub) && p.formality >= (sub === "sweaters" || sub === "polos" ? 2 : 3) && !/sequin|denim/.test(material)) {
    occasions.add("work");
  }
  if (WEDDING_SUBS.has(sub) && p.formality >= 3) {
    const dressy = sub.endsWith("dresses") || sub === "evening-gowns" || sub === "blouses" ? EVENING_FABRIC.test(material) : true;
    if (dressy && !/denim|canvas|cotton twill|corduroy/.test(material) && (p.formality >= 4 || sub !== "shirts")) {
      occasions.add("wedding-guest");
    }
  }
  if (sub === "mini-dresses" || sub === "evening-gowns" || (p.category !== "accessories" && PARTY_FABRIC.test(material)) || (sub === "heels" && p.formality >= 4)) {
    occasions.add("party");
  }
  if (p.formality >= 5 || sub === "evening-gowns" || (sub === "blazers" && /velvet/.test(material))) occasions.add("evening");
  if (BEACH_SUBS.has(sub) || /linen|raffia|straw/.test(material) || (sub === "maxi-dresses" && /chiffon|linen|cotton/.test(material))) {
    if (!WARM.test(material)) occasions.add("beach");
  }
  if (TRAVEL_SUBS.has(sub) && !/sequin|satin|silk/.test(material)) occasions.add("travel");
  if (p.category === "activewear" || (sub === "sneakers" && /mesh|knit/.test(material)) || (p.styleTags[0] === "sporty" && ["tshirts", "hoodies", "shorts"].includes(sub))) {
    occasions.add("sport");
  }
  if (LOUNGE_SUBS.has(sub) && p.formality <= 2 && !/denim|leather/.test(material)) occasions.add("lounge");
  if (p.formality <= 2 || occasions.size === 0) occasions.add("weekend");

  const weather = new Set<Weather>();
  if (WARM.test(material) || sub === "coats" || (sub === "parkas" && !/cotton$/.test(material))) weather.add("warm");
  if (OUTER_OR_SHOES.has(p.category) && (WATERPROOF.test(material) || sub === "parkas" || (sub === "trench-coats" && /water/.test(material)))) {
    if (!/suede|canvas|velvet|tweed|wool/.test(material)) weather.add("waterproof");
  }
  if (!weather.has("warm") && (BREATHABLE.test(material) || p.category === "activewear")) weather.add("breathable");

  return {
    occasions: OCCASIONS.filter((o) => occasions.has(o)),
    weather: WEATHER.filter((w) => weather.has(w)),
    fit: FITTED_CATEGORIES.has(p.category) ? fitFromTitle(title) : null,
    length: lengthOf(sub, title),
  };
}

function fitFromTitle(title: string): Fit {
  if (/\bwide[\s-]leg\b/.test(title)) return "wide-leg";
  if (/\boversized\b/.test(title)) return "oversized";
  if (/\bcropped\b/.test(title)) return "cropped";
  if (/\b(slim|skinny)\b/.test(title)) return "slim";
  if (/\b(relaxed|loose|baggy)\b/.test(title)) return "relaxed";
  if (/\btailored\b/.test(title)) return "tailored";
  return "regular";
}

function lengthOf(sub: string, title: string): Length | null {
  if (sub === "mini-dresses") return "mini";
  if (sub === "midi-dresses") return "midi";
  if (sub === "maxi-dresses" || sub === "evening-gowns") return "maxi";
  if (sub === "shirt-dresses" || sub === "skirts") {
    for (const length of LENGTHS) if (new RegExp(`\\b${length}\\b`).test(title)) return length;
    return "knee";
  }
  return null;
}

/** Google Merchant Center's `gender` and `age_group`, or words in the title, to a department. */
export function departmentFromFeed(gender: string | undefined, ageGroup: string | undefined, text: string): Department {
  if (ageGroup && /^(newborn|infant|toddler|kids)$/i.test(ageGroup.trim())) return "kids";
  const g = gender?.trim().toLowerCase();
  if (g === "female") return "women";
  if (g === "male") return "men";
  if (g === "unisex") return "unisex";
  if (/\b(women|women'?s|womens|ladies'?|woman)\b/i.test(text)) return "women";
  if (/\b(men|men'?s|mens|man)\b/i.test(text)) return "men";
  if (/\b(kids'?|girls'?|boys'?|children'?s|toddler|baby)\b/i.test(text)) return "kids";
  return "unisex";
}

/** Subcategories made (in this catalog) only for women. */
export const WOMENSWEAR = new Set(["blouses", "midi-dresses", "maxi-dresses", "mini-dresses", "shirt-dresses", "evening-gowns", "skirts", "heels", "sports-bras"]);
