import { getItem, searchCatalog } from "./catalog";
import { rateItem } from "./feedback";
import { getProfile, setAddress, upsertBudgetAndGoals, upsertSizes } from "./profile";

/**
 * Every procedure of the product. Both doors are generated from this list: adding a procedure here
 * serves it as an MCP tool and as a tRPC procedure, and puts it under the authorization matrix tests.
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

export const allProcedures = Object.values(registry).flatMap((group) => Object.values(group));
