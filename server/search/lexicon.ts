import type { Department, Fit, Length, Occasion, Weather } from "../catalog/attributes";

/**
 * How shoppers say what they want, word by word and phrase by phrase (after the catalog's own
 * normaliser, server/catalog/search-text.ts, has run: "t-shirt" is already "tshirt", "grey" "gray").
 * Longest phrase wins: "black tie" is an occasion before "black" is a colour.
 */
export type Meaning =
  | { kind: "department"; value: Department }
  | { kind: "occasion"; value: Occasion }
  | { kind: "weather"; value: Weather }
  | { kind: "fit"; value: Fit }
  | { kind: "length"; value: Length }
  | { kind: "tier"; value: "value" | "luxury" }
  | { kind: "noun"; words: string[]; occasion?: Occasion }
  | { kind: "filler" };

const entries: Array<[string[], Meaning]> = [];
const add = (phrases: string[], meaning: Meaning) => entries.push([phrases, meaning]);

add(["men", "mens", "man", "male", "him", "his", "boyfriend", "husband", "dad", "father", "brother", "guy", "guys", "gentleman", "gentlemen", "menswear", "fiance"], {
  kind: "department",
  value: "men",
});
add(["women", "womens", "woman", "female", "her", "girlfriend", "wife", "mum", "mom", "mother", "sister", "lady", "ladies", "womenswear", "fiancee"], {
  kind: "department",
  value: "women",
});
add(["unisex", "gender neutral", "genderless"], { kind: "department", value: "unisex" });
add(["kid", "kids", "child", "children", "childrens", "toddler", "baby", "boys", "girls"], { kind: "department", value: "kids" });

add(["work", "office", "business", "meeting", "interview", "job interview", "professional", "corporate", "smart casual", "smart", "workwear office"], { kind: "occasion", value: "work" });
add(["wedding", "wedding guest", "weddings", "ceremony", "reception", "christening", "garden party"], { kind: "occasion", value: "wedding-guest" });
add(["party", "parties", "cocktail", "night out", "clubbing", "club", "nye", "new years eve", "celebration", "birthday", "dressy", "date night", "date"], { kind: "occasion", value: "party" });
add(["evening", "gala", "black tie", "formal", "prom", "opera", "ball"], { kind: "occasion", value: "evening" });
add(["beach", "holiday", "holidays", "vacation", "resort", "seaside", "pool", "poolside", "tropical", "beach holiday", "summer holiday", "honeymoon"], { kind: "occasion", value: "beach" });
add(["travel", "travelling", "traveling", "trip", "airport", "flight", "plane", "road trip", "long haul", "packable"], { kind: "occasion", value: "travel" });
add(["sport", "sports", "gym", "workout", "running", "run", "jogging", "yoga", "pilates", "training", "exercise", "athletic", "fitness", "athleisure", "hiking"], { kind: "occasion", value: "sport" });
add(["lounge", "lounging", "loungewear", "at home", "home", "wfh", "work from home", "relaxing", "sofa"], { kind: "occasion", value: "lounge" });
add(["weekend", "weekends", "everyday", "casual", "day off", "errands", "brunch", "daytime"], { kind: "occasion", value: "weekend" });

add(["warm", "warmest", "winter", "wintry", "cold", "cold weather", "freezing", "insulated", "thermal", "snow", "chilly"], { kind: "weather", value: "warm" });
add(["waterproof", "water resistant", "water repellent", "rain", "rainy", "raincoat", "wet", "showerproof", "weatherproof"], { kind: "weather", value: "waterproof" });
add(["breathable", "summer", "summery", "hot weather", "hot", "heat", "heatwave", "humid", "airy", "cool"], { kind: "weather", value: "breathable" });

add(["slim", "slim fit", "skinny", "fitted", "narrow"], { kind: "fit", value: "slim" });
add(["relaxed", "relaxed fit", "loose", "loose fit", "baggy"], { kind: "fit", value: "relaxed" });
add(["oversized", "oversize", "boxy"], { kind: "fit", value: "oversized" });
add(["wide leg", "wideleg", "flared", "palazzo"], { kind: "fit", value: "wide-leg" });
add(["cropped", "crop"], { kind: "fit", value: "cropped" });
add(["tailored", "structured"], { kind: "fit", value: "tailored" });

add(["mini", "short dress", "short skirt"], { kind: "length", value: "mini" });
add(["knee length", "knee"], { kind: "length", value: "knee" });
add(["midi", "midaxi", "mid length", "calf length"], { kind: "length", value: "midi" });
add(["maxi", "long dress", "long skirt", "floor length", "ankle length"], { kind: "length", value: "maxi" });

add(["cheap", "cheapest", "affordable", "budget", "inexpensive", "bargain", "low cost", "value"], { kind: "tier", value: "value" });
add(["luxury", "luxurious", "designer", "high end", "expensive", "premium", "splurge", "investment piece"], { kind: "tier", value: "luxury" });

// Garment words shoppers use that the catalog names differently.
add(["running shoes", "running shoe", "gym shoes", "tennis shoes", "running sneaker"], { kind: "noun", words: ["sneaker"], occasion: "sport" });
add(["trainers"], { kind: "noun", words: ["sneaker"] });
add(["suit jacket", "sport coat", "sports coat"], { kind: "noun", words: ["blazer"] });
add(["chinos", "slacks"], { kind: "noun", words: ["trousers"] });
add(["cardigan", "knit", "knitwear"], { kind: "noun", words: ["sweater"] });
add(["gown", "ball gown"], { kind: "noun", words: ["gown"] });
add(["top"], { kind: "noun", words: ["tops"] });
add(["footwear", "shoe", "shoes"], { kind: "noun", words: ["shoes"] });
add(["tote", "handbag", "clutch", "backpack"], { kind: "noun", words: ["bag"] });
add(["beanie", "cap"], { kind: "noun", words: ["hat"] });
add(["shades"], { kind: "noun", words: ["sunglasses"] });
add(["anorak", "puffer", "puffer jacket", "down jacket"], { kind: "noun", words: ["parka"] });
add(["mac", "trench"], { kind: "noun", words: ["trench"] });
add(["pumps", "stilettos"], { kind: "noun", words: ["heels"] });
add(["flip flops", "sliders", "slides"], { kind: "noun", words: ["sandals"] });
add(["joggers", "sweatpants", "tracksuit bottoms", "leggins", "legging"], { kind: "noun", words: ["leggings"] });

// Words that carry no product meaning: never required to match.
add(
  [
    "a", "an", "the", "for", "to", "of", "in", "on", "at", "with", "and", "or", "my", "me", "i", "im", "we", "our", "you", "your",
    "some", "something", "anything", "any", "thing", "things", "gift", "gifts", "present", "idea", "ideas", "outfit", "outfits",
    "look", "looks", "clothes", "clothing", "item", "items", "piece", "pieces", "stuff", "wear", "wearing", "to wear", "need", "needs",
    "want", "wants", "looking", "look for", "find", "show", "get", "buy", "shop", "shopping", "please", "that", "which", "what",
    "can", "could", "would", "like", "nice", "good", "great", "new", "best", "pair", "pairs", "of", "is", "are", "be", "it", "this",
    "one", "ones", "style", "styles", "option", "options", "recommend", "suggest", "suggestions", "help", "occasion", "occasions",
    "cute", "pretty", "comfortable", "comfy", "cozy", "cosy", "lovely", "stylish", "fashionable", "trendy", "perfect", "ideal", "go", "going", "goes", "will", "should",
    "really", "very", "so", "just", "also", "too", "under", "over", "around", "about", "from", "by", "up", "all", "other", "similar",
    "who", "loves", "love", "likes", "attend", "attending", "guest",
  ],
  { kind: "filler" },
);

const byPhrase = new Map<string, Meaning>();
for (const [phrases, meaning] of entries) for (const phrase of phrases) if (!byPhrase.has(phrase)) byPhrase.set(phrase, meaning);

export const LONGEST_PHRASE = Math.max(...[...byPhrase.keys()].map((p) => p.split(" ").length));

export function meaningOf(phrase: string): Meaning | undefined {
  return byPhrase.get(phrase);
}

/** Every word the lexicon knows: never "corrected" into something else. */
export const LEXICON_WORDS = new Set([...byPhrase.keys()].flatMap((p) => p.split(" ")));

/** Department words: a correction never lands on one (a typo never changes who an item is for). */
export const DEPARTMENT_WORDS = new Set(
  entries.filter(([, m]) => m.kind === "department").flatMap(([phrases]) => phrases.flatMap((p) => p.split(" "))),
);
