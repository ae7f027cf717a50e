import pluralize from "pluralize";
import type { Department, Fit, Length, Occasion, Weather } from "../catalog/attributes";
import { normalizeText } from "../catalog/search-text";
import { LONGEST_PHRASE, meaningOf } from "./lexicon";
import type { Spelling } from "./spelling";

/**
 * A shopper's words turned into structure before anything is searched:
 * - hard constraints: price range, department, sizes, exclusions ("not black", "without leather");
 * - soft clauses an item scores for matching: garment words, colours, materials, occasions, weather,
 *   fit, length, price tier ("cheap", "luxury"). Items matching every clause rank first, then those
 *   matching most of them, so a query with one meaningful word never comes back empty when the
 *   catalog has items for that word.
 * - words with no product meaning ("something", "gift", "outfit") are dropped, and reported.
 */
export interface Clause {
  /** What the shopper said, for "matched: …" and `query.understood`. */
  label: string;
  kind: "garment" | "word" | "color" | "material" | "pattern" | "occasion" | "weather" | "fit" | "length" | "tier" | "style";
  /** Index tokens; an item matches the clause when it has any of them (server/search/index.ts). */
  tokens: string[];
  weight: number;
  /** Tokens matching less well than `tokens` ("jacket" also covers parkas), at `weight` - 0.5. */
  related?: string[];
}

export interface ParsedQuery {
  clauses: Clause[];
  department?: Department;
  minPriceMinor?: number;
  maxPriceMinor?: number;
  sizes: string[];
  /** Tokens an item must not have. */
  exclude: Array<{ label: string; tokens: string[] }>;
  ignored: string[];
  corrections: Array<{ from: string; to: string }>;
}

const NUM = String.raw`\$?\s*(\d{1,6}(?:[.,]\d{1,2})?)\s*(?:usd|dollars?|bucks)?`;
const PRICE_PATTERNS: Array<[RegExp, (a: number, b?: number) => { min?: number; max?: number }]> = [
  [new RegExp(String.raw`\b(?:between|from)\s+${NUM}\s+(?:and|to|-)\s+${NUM}`, "g"), (a, b) => ({ min: Math.min(a, b!), max: Math.max(a, b!) })],
  [new RegExp(String.raw`(?:^|\s)${NUM}\s*(?:-|to|–)\s*${NUM}(?=\s|$)`, "g"), (a, b) => ({ min: Math.min(a, b!), max: Math.max(a, b!) })],
  [new RegExp(String.raw`(?:\bunder|\bbelow|\bless\s+than|\bcheaper\s+than|\bmax(?:imum)?|\bup\s+to|\bat\s+most|\bno\s+more\s+than|\bwithin|<|≤)\s*${NUM}`, "g"), (a) => ({ max: a })],
  [new RegExp(String.raw`(?:\bover|\babove|\bmore\s+than|\bat\s+least|\bmin(?:imum)?|\bstarting\s+at|>|≥)\s*${NUM}`, "g"), (a) => ({ min: a })],
  [new RegExp(String.raw`\b(?:around|about|approximately|roughly|circa|~)\s*${NUM}`, "g"), (a) => ({ min: Math.floor(a * 0.8), max: Math.ceil(a * 1.2) })],
  [new RegExp(String.raw`\$\s*(\d{1,6}(?:[.,]\d{1,2})?)`, "g"), (a) => ({ max: a })],
];

const APPAREL = ["xxs", "xs", "s", "m", "l", "xl", "xxl"];
const SIZE_WORDS: Record<string, string> = { small: "S", medium: "M", large: "L", "extra small": "XS", "extra large": "XL", "x large": "XL", "x small": "XS" };
const SIZE_PATTERN = new RegExp(
  String.raw`\b(?:in\s+(?:a\s+)?size|sizes?|in)\s+(?:eu\s*|us\s*|uk\s*)?(extra\s+small|extra\s+large|x\s+large|x\s+small|small|medium|large|xxs|xs|xxl|xl|s|m|l|\d{1,2}(?:[.,]5)?)\b`,
  "g",
);
const NEGATION = /\b(?:not|without|no|non|except|excluding|nothing|avoid)[\s-]+(light blue|forest green|polka dot|animal print|patent leather|[a-z]+)/g;

export interface Vocabulary {
  colors: ReadonlySet<string>;
  materials: ReadonlySet<string>;
  patterns: ReadonlySet<string>;
  styles: ReadonlySet<string>;
  garments: ReadonlySet<string>;
  /** Garment words that also cover other subcategories ("jacket" covers parkas). */
  related?: ReadonlyMap<string, string[]>;
  /** The subcategory or category a garment word names exactly ("shirt": sub:shirts, "dress": cat:dresses). */
  exact?: ReadonlyMap<string, string>;
}

export function parseQuery(q: string, vocabulary: Vocabulary, spelling: Spelling): ParsedQuery {
  const parsed: ParsedQuery = { clauses: [], sizes: [], exclude: [], ignored: [], corrections: [] };
  let text = ` ${q.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()} `;

  for (const [pattern, toRange] of PRICE_PATTERNS) {
    text = text.replace(pattern, (_match, a: string, b: unknown) => {
      // With one group, replace passes the offset (a number) where a second group would be.
      const range = toRange(amount(a), typeof b === "string" ? amount(b) : undefined);
      if (range.min !== undefined) parsed.minPriceMinor = Math.max(parsed.minPriceMinor ?? 0, Math.round(range.min * 100));
      if (range.max !== undefined) parsed.maxPriceMinor = Math.min(parsed.maxPriceMinor ?? Infinity, Math.round(range.max * 100));
      return " ";
    });
  }
  text = text.replace(SIZE_PATTERN, (match, size: string) => {
    // "in m" or "in 32" is a size; "in black" never reaches here (not a size word).
    const value = SIZE_WORDS[size.replace(/\s+/g, " ")] ?? (APPAREL.includes(size) ? size.toUpperCase() : size.replace(",", "."));
    if (/^in\s/.test(match) && /^\d/.test(value) && Number(value) > 60) return match;
    parsed.sizes.push(value);
    return " ";
  });
  text = text.replace(NEGATION, (_match, word: string) => {
    const normal = normalizeText(word);
    parsed.exclude.push({ label: `not ${normal}`, tokens: tokensForWord(normal, vocabulary) });
    return " ";
  });

  const words = normalizeText(text).split(" ").filter(Boolean);
  const seen = new Set<string>();
  for (let i = 0; i < words.length; ) {
    let step = 1;
    let meaning = undefined as ReturnType<typeof meaningOf>;
    for (let n = Math.min(LONGEST_PHRASE, words.length - i); n >= 1; n--) {
      // A colour, material or garment the catalog knows beats a lexicon reading of the same word.
      const phrase = words.slice(i, i + n).join(" ");
      if (n === 1 && (vocabulary.colors.has(phrase) || vocabulary.materials.has(phrase))) break;
      if (n > 1 && vocabulary.colors.has(phrase)) {
        meaning = undefined;
        step = n;
        addWord(parsed, phrase, vocabulary, seen);
        break;
      }
      meaning = meaningOf(phrase);
      if (meaning) {
        step = n;
        applyMeaning(parsed, phrase, meaning, vocabulary, seen);
        break;
      }
    }
    if (step === 1 && !meaning && !seen.has(`word:${words[i]}`)) {
      const word = words[i]!;
      if (/^\d+$/.test(word)) parsed.ignored.push(word);
      else if (!(vocabulary.colors.has(word) || vocabulary.materials.has(word)) && !spelling.isKnown(word)) {
        const corrected = spelling.correct(word);
        if (corrected && corrected !== word) {
          parsed.corrections.push({ from: word, to: corrected });
          const correctedMeaning = meaningOf(corrected);
          if (correctedMeaning) applyMeaning(parsed, corrected, correctedMeaning, vocabulary, seen);
          else addWord(parsed, corrected, vocabulary, seen);
        } else addWord(parsed, word, vocabulary, seen);
      } else addWord(parsed, word, vocabulary, seen);
    }
    i += step;
  }
  return parsed;
}

function applyMeaning(parsed: ParsedQuery, phrase: string, meaning: NonNullable<ReturnType<typeof meaningOf>>, vocabulary: Vocabulary, seen: Set<string>) {
  const once = (key: string) => {
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  switch (meaning.kind) {
    case "filler":
      parsed.ignored.push(phrase);
      return;
    case "department":
      parsed.department ??= meaning.value;
      return;
    case "noun":
      for (const word of meaning.words) addWord(parsed, word, vocabulary, seen, phrase);
      if (meaning.occasion) applyMeaning(parsed, phrase, { kind: "occasion", value: meaning.occasion }, vocabulary, seen);
      return;
    case "tier":
      if (once(`tier:${meaning.value}`)) {
        parsed.clauses.push({ label: phrase, kind: "tier", tokens: meaning.value === "value" ? ["k:value"] : ["k:luxury", "k:premium"], weight: 1 });
      }
      return;
    default: {
      const prefix = { occasion: "o", weather: "w", fit: "f", length: "l" }[meaning.kind];
      const value: Occasion | Weather | Fit | Length = meaning.value;
      if (once(`${prefix}:${value}`)) parsed.clauses.push({ label: phrase, kind: meaning.kind, tokens: [`${prefix}:${value}`], weight: 2 });
    }
  }
}

function addWord(parsed: ParsedQuery, word: string, vocabulary: Vocabulary, seen: Set<string>, label = word) {
  if (seen.has(`word:${word}`)) return;
  seen.add(`word:${word}`);
  const kind: Clause["kind"] = vocabulary.garments.has(singular(word))
    ? "garment"
    : vocabulary.colors.has(word)
      ? "color"
      : vocabulary.materials.has(word)
        ? "material"
        : vocabulary.patterns.has(word)
          ? "pattern"
          : vocabulary.styles.has(word)
            ? "style"
            : "word";
  const weight = { garment: 3, color: 2, material: 1.5, pattern: 1.5, style: 1, word: 1.5 }[kind as "garment"];
  // The exact reading first (the "shirts" subcategory, the colour navy); the looser one (the word in a
  // title or a brand name: "Polo Shirt", "Velvet Hour") and what else a garment word covers ("jacket":
  // parkas) match too, a little below.
  const tokens = tokensForWord(word, vocabulary);
  const exact = kind === "garment" ? vocabulary.exact?.get(singular(word)) : undefined;
  const primary = exact ? [exact] : tokens.filter((t) => !t.startsWith("t:"));
  const loose = [...tokens.filter((t) => !primary.includes(t)), ...((kind === "garment" && vocabulary.related?.get(singular(word))) || [])];
  const clause: Clause = primary.length ? { label, kind, tokens: primary, weight, related: loose } : { label, kind, tokens: loose, weight };
  parsed.clauses.push(clause);
}

/** Index tokens for one word: its attribute token when it names a colour, material or pattern, and its text token. */
export function tokensForWord(word: string, vocabulary: Vocabulary): string[] {
  const tokens = word.split(" ").length > 1 ? [] : [`t:${singular(word)}`];
  if (vocabulary.colors.has(word)) tokens.unshift(`c:${word}`);
  if (vocabulary.materials.has(word)) tokens.unshift(`m:${word}`);
  if (vocabulary.patterns.has(word)) tokens.unshift(`p:${word}`);
  if (tokens.length === 0) tokens.push(...word.split(" ").map((w) => `t:${singular(w)}`));
  return tokens;
}

const singulars = new Map<string, string>();
/** The one singular form for index and query alike ("scarves" and "scarf" meet). */
export function singular(word: string): string {
  let s = singulars.get(word);
  if (s === undefined) {
    s = word.length <= 3 || /ss$|us$|is$|jeans$/.test(word) ? word : pluralize.singular(word);
    if (singulars.size < 50_000) singulars.set(word, s);
  }
  return s;
}

function amount(text: string): number {
  return Number(text.replace(",", "."));
}
