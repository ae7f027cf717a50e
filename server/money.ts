import { z } from "zod";

export const moneySchema = z.object({
  amountMinor: z.number().int().describe("Amount in minor units (cents)"),
  currency: z.string().length(3),
  formatted: z.string().describe('Human form, e.g. "$49.00"'),
});
export type Money = z.infer<typeof moneySchema>;

/** A price or budget as people type it: major units (49.99), at most 1,000,000. */
export const majorAmount = z
  .number()
  .finite()
  .min(0, "must not be negative")
  .max(1_000_000, "must be at most 1,000,000");

export function toMinor(major: number): number {
  return Math.round(major * 100);
}

// Building an Intl.NumberFormat costs far more than using one: keep one per currency.
const formatters = new Map<string, Intl.NumberFormat>();

export function money(amountMinor: number, currency: string): Money {
  let formatter = formatters.get(currency);
  if (!formatter) {
    formatter = new Intl.NumberFormat("en-US", { style: "currency", currency });
    formatters.set(currency, formatter);
  }
  return { amountMinor, currency, formatted: formatter.format(amountMinor / 100) };
}
