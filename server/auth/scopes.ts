/** Every scope a tool can require (seed 003). Clients depend on these names: never rename one. */
export const SCOPES = [
  "profile:read",
  "profile:write",
  "photos:write",
  "catalog:read",
  "stylemap:read",
  "feedback:write",
  "plans:write",
  "tryon:read",
  "tryon:write",
  "orders:write",
] as const;

export type Scope = (typeof SCOPES)[number];

export function missingScopes(required: readonly Scope[], granted: ReadonlySet<string>): Scope[] {
  return required.filter((scope) => !granted.has(scope));
}
