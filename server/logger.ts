import pino, { type Logger } from "pino";
import { env } from "./env";

export type { Logger };

let root: Logger | undefined;

/** Structured JSON logs on stdout; every request logs through a child bound to its request id. */
export function rootLogger(): Logger {
  root ??= pino({
    level: env().logLevel,
    base: { service: "stylist" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ["authorization", "*.authorization", "token", "*.token", "cookie"], remove: true },
  });
  return root;
}

export const silentLogger: Logger = pino({ level: "silent" });
