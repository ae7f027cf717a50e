import { getApp } from "./app";
import { siteActor } from "./auth/auth0";
import { createDoors } from "./doors";

/** The doors of this process, for the Next route files. */
export const doors = createDoors(getApp, siteActor);
