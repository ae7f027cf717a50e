/**
 * The dotted path of the first string (value or key) Postgres cannot store: a NUL byte, or a lone UTF-16
 * surrogate that has no UTF-8 form. `null` when there is none; "" when the input itself is such a string.
 */
export function findUnstorableString(value: unknown, path = "", depth = 0): string | null {
  if (typeof value === "string") return isStorable(value) ? null : path;
  if (depth > 32 || value === null || typeof value !== "object") return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableString(value[i], join(path, String(i)), depth + 1);
      if (found !== null) return found;
    }
    return null;
  }
  for (const [key, child] of Object.entries(value)) {
    if (!isStorable(key)) return join(path, key.replace(/[\u0000\ud800-\udfff]/g, "\ufffd"));
    const found = findUnstorableString(child, join(path, key), depth + 1);
    if (found !== null) return found;
  }
  return null;
}

export function isStorable(text: string): boolean {
  return !text.includes("\u0000") && text.isWellFormed();
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
