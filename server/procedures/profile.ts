import { z } from "zod";
import * as profiles from "@/db/repos/profiles";
import { audit } from "../audit";
import { DEPARTMENTS } from "../catalog/attributes";
import type { UserContext } from "../context";
import { majorAmount, money, moneySchema, toMinor } from "../money";
import { defineProcedure, READ_ONLY, WRITE_IDEMPOTENT } from "./define";

// ---- schemas -------------------------------------------------------------------------------------

const tag = z.string().trim().toLowerCase().min(1, "must not be empty").max(40, "must be at most 40 characters");
const goal = z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters");

const sizeValue = z.union([
  z.string().trim().min(1).max(40),
  z.number().finite(),
  z.boolean(),
  z.array(z.string().trim().min(1).max(40)).max(20),
]);

export const sizesSchema = z
  .record(
    z
      .string()
      .trim()
      .min(1)
      .max(40)
      .regex(/^[A-Za-z0-9 _-]+$/, "size names use letters, digits, spaces, _ and -"),
    sizeValue,
  )
  .refine((sizes) => Object.keys(sizes).length <= 30, "at most 30 sizes");

export const addressSchema = z.strictObject({
  line1: z.string().trim().min(1, "is required").max(200),
  line2: z.string().trim().max(200).optional(),
  city: z.string().trim().min(1, "is required").max(100),
  state: z.string().trim().min(1, "is required").max(100),
  postalCode: z.string().trim().min(1, "is required").max(20),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "must be a two-letter ISO 3166 country code, such as US or FR"),
});

export const profileSchema = z.object({
  monthlyBudget: moneySchema.nullable(),
  goals: z.array(z.string()),
  styleTags: z.array(z.string()),
  departments: z.array(z.enum(DEPARTMENTS)).describe("Who they shop for; empty means any department"),
  sizes: z.record(z.string(), sizeValue),
  address: addressSchema.nullable(),
  updatedAt: z.string().nullable().describe("ISO time of the last change; null when nothing was saved yet"),
});
export type Profile = z.infer<typeof profileSchema>;

export const budgetAndGoalsInput = z.strictObject({
  monthlyBudget: majorAmount.describe("Monthly clothing budget in major units of USD, e.g. 300 for $300"),
  goals: z.array(goal).max(20, "at most 20 goals").describe('What the user wants, e.g. "build a work wardrobe"'),
  styleTags: z
    .array(tag)
    .max(30, "at most 30 style tags")
    .describe('Style words such as "minimalist", "streetwear", "classic"'),
  departments: z
    .array(z.enum(DEPARTMENTS))
    .max(4)
    .optional()
    .describe('Who they shop for, e.g. ["men"]: plans use these departments (and unisex); kept as they are when absent'),
});

// ---- procedures ----------------------------------------------------------------------------------

export const getProfile = defineProcedure({
  name: "profile.get",
  title: "Get style profile",
  description:
    "Read the signed-in user's style profile: monthly budget, goals, style tags, sizes and shipping address. " +
    "Call this before recommending or planning so suggestions fit the user's sizes and budget. " +
    "A user who has not set anything yet gets an empty profile (null budget, empty lists).",
  scopes: ["profile:read"],
  input: z.strictObject({}),
  output: profileSchema,
  annotations: READ_ONLY,
  handler: async (ctx) => toProfile(await profiles.findProfile(ctx.db, ctx.actor.userId)),
});

export const upsertBudgetAndGoals = defineProcedure({
  name: "profile.upsertBudgetAndGoals",
  title: "Set budget, goals and style",
  description:
    "Save the user's monthly clothing budget (USD, major units), style goals and style tags, replacing the " +
    "previous values of these three fields, and optionally who they shop for (`departments`: women, men, " +
    "unisex, kids). Sizes and address are left as they are. Returns the updated profile.",
  scopes: ["profile:write"],
  input: budgetAndGoalsInput,
  output: profileSchema,
  annotations: WRITE_IDEMPOTENT,
  handler: async (ctx, input) => {
    const styleTags = [...new Set(input.styleTags)];
    const row = await profiles.upsertBudgetAndGoals(ctx.db, ctx.actor.userId, {
      monthlyBudgetMinor: toMinor(input.monthlyBudget),
      goals: input.goals,
      styleTags,
      ...(input.departments ? { departments: [...new Set(input.departments)] } : {}),
    });
    await auditProfile(ctx, "profile.budget_goals_updated", {
      monthlyBudgetMinor: row.monthlyBudgetMinor,
      goalCount: row.goals.length,
      styleTags,
      departments: row.departments,
    });
    return toProfile(row);
  },
});

export const upsertSizes = defineProcedure({
  name: "profile.upsertSizes",
  title: "Save sizes",
  description:
    'Save clothing sizes by garment, e.g. {"top": "M", "waist": 32, "shoe": "EU 42"}. Sizes not mentioned are ' +
    "kept; a size mentioned again is replaced. Returns the updated profile.",
  scopes: ["profile:write"],
  input: z.strictObject({ sizes: sizesSchema }),
  output: profileSchema,
  annotations: WRITE_IDEMPOTENT,
  handler: async (ctx, input) => {
    const row = await profiles.mergeSizes(ctx.db, ctx.actor.userId, input.sizes);
    await auditProfile(ctx, "profile.sizes_updated", { sizeNames: Object.keys(input.sizes) });
    return toProfile(row);
  },
});

export const setAddress = defineProcedure({
  name: "profile.setAddress",
  title: "Set shipping address",
  description:
    "Save the user's shipping address (country as a two-letter ISO code). Replaces any previous address. " +
    "Returns the updated profile.",
  scopes: ["profile:write"],
  input: z.strictObject({ address: addressSchema }),
  output: profileSchema,
  annotations: WRITE_IDEMPOTENT,
  handler: async (ctx, input) => {
    const row = await profiles.setAddress(ctx.db, ctx.actor.userId, input.address);
    // The address itself is personal data and stays out of the audit trail.
    await auditProfile(ctx, "profile.address_updated", { country: input.address.country });
    return toProfile(row);
  },
});

// ---- helpers -------------------------------------------------------------------------------------

function toProfile(row: profiles.ProfileRow | undefined): Profile {
  if (!row) return { monthlyBudget: null, goals: [], styleTags: [], departments: [], sizes: {}, address: null, updatedAt: null };
  return {
    monthlyBudget: row.monthlyBudgetMinor === null ? null : money(row.monthlyBudgetMinor, row.currency),
    goals: row.goals,
    styleTags: row.styleTags,
    departments: row.departments.filter((d): d is (typeof DEPARTMENTS)[number] => (DEPARTMENTS as readonly string[]).includes(d)),
    sizes: row.sizes,
    address: row.address ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

function auditProfile(ctx: UserContext, eventType: string, payload: Record<string, unknown>) {
  return audit(ctx, { eventType, entityType: "profile", entityId: ctx.actor.userId, payload });
}
