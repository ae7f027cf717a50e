import { sql } from "drizzle-orm";
import { check, integer, jsonb, pgTable, text, timestamp, uuid, boolean, uniqueIndex, index } from "drizzle-orm/pg-core";
import { users } from "./users";

export type SizeValue = string | number | boolean | string[];
export type Sizes = Record<string, SizeValue>;
export interface PostalAddress {
  line1: string;
  line2?: string;
  city: string;
  state: string;
  postalCode: string;
  country: string;
}

export const profiles = pgTable(
  "profiles",
  {
    userId: text("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Minor units (cents) of `currency`. */
    monthlyBudgetMinor: integer("monthly_budget_minor"),
    currency: text("currency").notNull().default("USD"),
    goals: text("goals").array().notNull().default(sql`'{}'::text[]`),
    styleTags: text("style_tags").array().notNull().default(sql`'{}'::text[]`),
    /** Who they shop for (women, men, unisex, kids); empty: any department. */
    departments: text("departments").array().notNull().default(sql`'{}'::text[]`),
    sizes: jsonb("sizes").$type<Sizes>().notNull().default({}),
    address: jsonb("address").$type<PostalAddress>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("profiles_budget_nonnegative", sql`${t.monthlyBudgetMinor} >= 0`)],
);

export const consents = pgTable(
  "consents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** e.g. `photo_processing`, `tryon_rendering`. */
    consentType: text("consent_type").notNull(),
    granted: boolean("granted").notNull(),
    grantedAt: timestamp("granted_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("consents_user_type_uq").on(t.userId, t.consentType)],
);

export const photoSets = pgTable(
  "photo_sets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    source: text("source", { enum: ["chatgpt_upload", "import", "site_upload"] }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("photo_sets_user_idx").on(t.userId, t.createdAt)],
);

export const photos = pgTable(
  "photos",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    photoSetId: uuid("photo_set_id")
      .notNull()
      .references(() => photoSets.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The ChatGPT file id, when the photo came from a conversation upload. */
    fileId: text("file_id"),
    /** Key in first-party asset storage (local disk or S3); never a third-party URL. */
    storageKey: text("storage_key"),
    isPrimary: boolean("is_primary").notNull().default(false),
    validationStatus: text("validation_status", { enum: ["pending", "approved", "rejected"] })
      .notNull()
      .default("pending"),
    validationReport: jsonb("validation_report").$type<Record<string, unknown>>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("photos_set_idx").on(t.photoSetId), index("photos_user_idx").on(t.userId)],
);
