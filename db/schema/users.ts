import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** One row per person. The id is the Auth0 `sub`, the same at the MCP door and on the site. */
export const users = pgTable("users", {
  id: text("id").primaryKey(),
  email: text("email"),
  name: text("name"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
});
