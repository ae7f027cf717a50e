import { eraseEverything } from "./account";
import { approveApproval, cancelApproval, reviewApproval } from "./approvals";
import { getItem, searchCatalog } from "./catalog";
import { createApprovalLink } from "./checkout";
import type { Door, Procedure } from "./define";
import { rateItem } from "./feedback";
import { getApprovalStatus, getOrder, listOrders } from "./orders";
import { applyCheckoutEvent } from "./payments";
import { generateCapsule, generateOutfits, getPlan, listPlans, swapItemInOutfit } from "./plan";
import {
  deletePhotos,
  grantConsent,
  ingestPhotos,
  listConsents,
  listPhotos,
  revokeConsent,
  setPrimaryPhoto,
  uploadPhotos,
} from "./photos";
import { getProfile, setAddress, upsertBudgetAndGoals, upsertSizes } from "./profile";
import { getClusters, getItemNeighbors, getViewportItems } from "./style-map";
import { getJobStatus, listTryons, renderItemOnUser, renderOutfitOnUser } from "./tryon";

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
    ingestPhotos,
    deletePhotos,
  },
  photos: {
    list: listPhotos,
    upload: uploadPhotos,
    setPrimary: setPrimaryPhoto,
  },
  account: {
    erase: eraseEverything,
  },
  consent: {
    list: listConsents,
    grant: grantConsent,
    revoke: revokeConsent,
  },
  catalog: {
    search: searchCatalog,
    getItem,
  },
  styleMap: {
    getViewportItems,
    getClusters,
    getItemNeighbors,
  },
  feedback: {
    rateItem,
  },
  plan: {
    generateCapsule,
    generateOutfits,
    swapItemInOutfit,
    list: listPlans,
    get: getPlan,
  },
  tryon: {
    renderItemOnUser,
    renderOutfitOnUser,
    getJobStatus,
    list: listTryons,
  },
  checkout: {
    createApprovalLink,
  },
  orders: {
    getApprovalStatus,
    list: listOrders,
    get: getOrder,
  },
  approvals: {
    review: reviewApproval,
    approve: approveApproval,
    cancel: cancelApproval,
  },
  payments: {
    applyCheckoutEvent,
  },
} as const;

export type Registry = typeof registry;

export const allProcedures: Procedure[] = Object.values(registry).flatMap((group) =>
  Object.values(group).map((p) => p as unknown as Procedure),
);

export function proceduresAt(door: Door): Procedure[] {
  return allProcedures.filter((p) => p.doors.includes(door));
}
