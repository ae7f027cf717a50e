import { sql } from "drizzle-orm";
import { check, integer, jsonb, pgTable, text, timestamp, uuid, boolean, index } from "drizzle-orm/pg-core";
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

/** The consents a user can give, and the wording each grant agreed to (server/consent/texts.ts). */
export const CONSENT_TYPES = ["photo_processing", "tryon"] as const;
export type ConsentType = (typeof CONSENT_TYPES)[number];

/**
 * The consent ledger: every grant and revocation, appended, never edited (a trigger refuses UPDATE);
 * the current state of a consent is its latest event. Rows go only with their user (erasure).
 */
export const consentEvents = pgTable(
  "consent_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    consentType: text("consent_type", { enum: CONSENT_TYPES }).notNull(),
    action: text("action", { enum: ["granted", "revoked"] }).notNull(),
    /** The version of the consent text the user saw (granted) or withdrew from (revoked). */
    textVersion: text("text_version").notNull(),
    /** The door it came through: ChatGPT (`mcp`) or our site. */
    source: text("source", { enum: ["mcp", "site"] }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("consent_events_user_idx").on(t.userId, t.consentType, t.createdAt)],
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
    /** The stored image (always re-encoded JPEG, metadata stripped). */
    contentType: text("content_type"),
    width: integer("width"),
    height: integer("height"),
    byteSize: integer("byte_size"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("photos_set_idx").on(t.photoSetId), index("photos_user_idx").on(t.userId)],
);
