import damerauLevenshtein from "damerau-levenshtein";
import { readFileSync } from "node:fs";
import wordListPath from "word-list";
import { DEPARTMENT_WORDS, LEXICON_WORDS } from "./lexicon";

/**
 * Typo correction only for words that are not words: a real English word list (the `word-list`
 * package, 274,000 words) plus the catalog's own vocabulary and the query lexicon are never
 * "corrected" ("party" stays "party", "form" stays "form"). An unknown word is corrected to the nearest
 * catalog or lexicon word within the edits its length allows, as Meilisearch and Typesense bound them:
 * none under 5 letters, one up to 8, two beyond (a transposition is one edit). Department words are
 * never a correction's result: a typo must not change who an item is for.
 */
export interface Spelling {
  isKnown(word: string): boolean;
  correct(word: string): string | null;
}

let english: Set<string> | undefined;
function englishWords(): Set<string> {
  // The package gives the path of its words.txt (kept out of the bundle: next.config serverExternalPackages).
  english ??= new Set(readFileSync(wordListPath, "utf8").split("\n"));
  return english;
}

export function maxEditsFor(word: string): number {
  return word.length < 5 ? 0 : word.length <= 8 ? 1 : 2;
}

/** `vocabulary`: catalog word -> number of items using it (the more common wins a tie). */
export function spellingFor(vocabulary: ReadonlyMap<string, number>): Spelling {
  const targets = [...new Set([...vocabulary.keys(), ...LEXICON_WORDS])].filter(
    (w) => w.length >= 4 && /^[a-z]+$/.test(w) && !DEPARTMENT_WORDS.has(w),
  );
  const cache = new Map<string, string | null>();
  return {
    isKnown: (word) => vocabulary.has(word) || LEXICON_WORDS.has(word) || englishWords().has(word),
    correct(word) {
      const cached = cache.get(word);
      if (cached !== undefined) return cached;
      const limit = maxEditsFor(word);
      let best: string | null = null;
      let bestEdits = limit + 1;
      let bestCount = -1;
      if (limit > 0) {
        for (const target of targets) {
          if (Math.abs(target.length - word.length) > limit) continue;
          const edits = damerauLevenshtein(word, target).steps;
          const count = vocabulary.get(target) ?? 0;
          if (edits < bestEdits || (edits === bestEdits && count > bestCount)) {
            best = target;
            bestEdits = edits;
            bestCount = count;
          }
        }
      }
      const result = best !== null && bestEdits <= limit ? best : null;
      if (cache.size < 10_000) cache.set(word, result);
      return result;
    },
  };
}
