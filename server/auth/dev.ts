import type { UserActor, Via } from "../context";
import { SCOPES } from "./scopes";

/** The one local person of AUTH_MODE=dev (refused unless the app is on a loopback URL: see server/env.ts). */
export const DEV_USER = { id: "dev|local-user", email: "you@localhost", name: "Local stylist user" } as const;

export const DEV_SESSION_COOKIE = "stylist_dev_session";

export function devActor(via: Via): UserActor {
  return { kind: "user", userId: DEV_USER.id, email: DEV_USER.email, name: DEV_USER.name, scopes: new Set(SCOPES), via };
}
