import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { products } from "./catalog";
import { photoSets } from "./profiles";
import { users } from "./users";

/** One rating per user and item; a new rating replaces the old one. */
export const feedback = pgTable(
  "feedback",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    productId: text("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    rating: smallint("rating").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.productId] }),
    index("feedback_user_updated_idx").on(t.userId, t.updatedAt),
    check("feedback_rating_range", sql`${t.rating} in (-1, 0, 1)`),
  ],
);

export const plans = pgTable(
  "plans",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["capsule", "outfits"] }).notNull(),
    /** `YYYY-MM` for capsules. */
    month: text("month"),
    budgetMinor: integer("budget_minor"),
    /** What the plan's new items cost; owned items cost nothing. */
    totalMinor: integer("total_minor").notNull(),
    currency: text("currency").notNull().default("USD"),
    /** The season the plan was made for (from the month and the hemisphere of the address). */
    season: text("season"),
    /** How the optimiser ended: status, objective, bound, gap, time, pool sizes (server/planning). */
    solver: jsonb("solver").$type<Record<string, unknown>>(),
    /** The plan-level explanation: what anchors it, citing the user's own signals. */
    summary: text("summary"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("plans_user_month_idx").on(t.userId, t.month), index("plans_user_created_idx").on(t.userId, t.createdAt)],
);

export const outfits = pgTable(
  "outfits",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    planId: uuid("plan_id")
      .notNull()
      .references(() => plans.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** One sentence on why it works, for the model to relay. */
    why: text("why").notNull().default(""),
    position: integer("position").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("outfits_plan_idx").on(t.planId), index("outfits_user_idx").on(t.userId)],
);

export const outfitItems = pgTable(
  "outfit_items",
  {
    outfitId: uuid("outfit_id")
      .notNull()
      .references(() => outfits.id, { onDelete: "cascade" }),
    productId: text("product_id")
      .notNull()
      .references(() => products.id),
    slot: text("slot").notNull(),
    /** Price when planned, so a plan's total does not drift when the catalog reprices. */
    priceMinor: integer("price_minor").notNull(),
    /** Already the user's (bought through an approval, or brought in with includeItemIds): costs nothing. */
    owned: boolean("owned").notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.outfitId, t.productId] })],
);

export const tryonJobs = pgTable(
  "tryon_jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    photoSetId: uuid("photo_set_id")
      .notNull()
      .references(() => photoSets.id, { onDelete: "cascade" }),
    productId: text("product_id").references(() => products.id),
    outfitId: uuid("outfit_id").references(() => outfits.id, { onDelete: "cascade" }),
    status: text("status", { enum: ["queued", "running", "succeeded", "failed"] })
      .notNull()
      .default("queued"),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(3),
    runAfter: timestamp("run_after", { withTimezone: true }).notNull().defaultNow(),
    leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }),
    lockedBy: text("locked_by"),
    inputRefs: jsonb("input_refs").$type<Record<string, unknown>>().notNull().default({}),
    outputRefs: jsonb("output_refs").$type<Record<string, unknown>>(),
    error: text("error"),
    /** 0-100, for the assistant's status checks. */
    progress: integer("progress").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("tryon_jobs_user_status_idx").on(t.userId, t.status),
    index("tryon_jobs_claim_idx").on(t.status, t.runAfter),
    check("tryon_jobs_target", sql`(${t.productId} is not null) <> (${t.outfitId} is not null)`),
  ],
);

/** Every claim of a try-on job by a worker, and how it ended (a killed worker's attempt stays `running`). */
export const tryonJobAttempts = pgTable(
  "tryon_job_attempts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    jobId: uuid("job_id")
      .notNull()
      .references(() => tryonJobs.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    worker: text("worker").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    outcome: text("outcome", { enum: ["running", "succeeded", "retry", "failed"] }).notNull().default("running"),
    error: text("error"),
    durationMs: integer("duration_ms"),
  },
  (t) => [index("tryon_job_attempts_job_idx").on(t.jobId, t.attempt)],
);
