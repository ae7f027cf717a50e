import type { Db } from "@/db/client";
import type { Logger } from "./logger";
import type { PaymentGateway } from "./payments/gateway";
import type { PhotoServices } from "./photos/services";

export type Via = "mcp" | "site" | "webhook" | "job" | "cli";

/** Who is acting. Each procedure declares which kinds may run it; anonymous callers run nothing. */
export type Actor =
  | { kind: "user"; userId: string; scopes: ReadonlySet<string>; via: Via; email?: string; name?: string }
  | { kind: "system"; via: "job" | "cli" }
  | { kind: "webhook"; via: "webhook"; source: string }
  | { kind: "anonymous"; via: Via };

export type UserActor = Extract<Actor, { kind: "user" }>;

export interface Context<A extends Actor = Actor> {
  actor: A;
  /** The database, or the open transaction inside `withTransaction`. */
  db: Db;
  /** True while `db` is an open transaction: `withTransaction` then reuses it. */
  inTransaction?: boolean;
  log: Logger;
  requestId: string;
  now: () => Date;
  /** Public origin of the app, for the absolute URLs tools return (images, links). */
  appBaseUrl: string;
  /** Stripe Checkout; absent where nothing pays (unit tests of other domains). */
  payments?: PaymentGateway;
  /** Configuration the checkout verbs need: the sealing secret and the allowed redirect origins. */
  secrets?: { appSecret: string; checkoutRedirectOrigins: readonly string[] };
  /** Photo storage, the pose model and the fetch policy; absent: the process's own, from the environment. */
  photos?: PhotoServices;
}

export type UserContext = Context<UserActor>;
