declare module "damerau-levenshtein" {
  export default function damerauLevenshtein(a: string, b: string, limit?: number): { steps: number; relative: number; similarity: number };
}
