import { getItem, searchCatalog } from "./catalog";
import type { Door, Procedure } from "./define";
import { rateItem } from "./feedback";
import { getProfile, setAddress, upsertBudgetAndGoals, upsertSizes } from "./profile";

/**
 * Every procedure of the product. Both doors are generated from this list, each serving the procedures
 * that declare it: adding one here puts it at its doors and under the generated authorization,
 * contract and fuzz tests, with no adapter to edit.
 */
export const registry = {
  profile: {
    get: getProfile,
    upsertBudgetAndGoals,
    upsertSizes,
    setAddress,
  },
  catalog: {
    search: searchCatalog,
    getItem,
  },
  feedback: {
    rateItem,
  },
} as const;

export type Registry = typeof registry;

export const allProcedures: Procedure[] = Object.values(registry).flatMap((group) =>
  Object.values(group).map((p) => p as unknown as Procedure),
);

export function proceduresAt(door: Door): Procedure[] {
  return allProcedures.filter((p) => p.doors.includes(door));
}
