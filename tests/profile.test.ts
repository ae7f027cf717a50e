import { describe, expect, it } from "vitest";
import { listAuditEventsForUser } from "@/db/repos/audit";
import { useTestApp } from "./support/fixture";
import type { Profile } from "@/server/procedures/profile";
import { callOk, callTool } from "./support/mcp";

const fixture = useTestApp();

describe("profile tools over MCP", () => {
  it("a user who never saved anything reads an empty profile, not an error", async () => {
    const client = await fixture.app.mcpClient("alice");
    const profile = await callOk(client, "profile.get", {});
    expect(profile).toEqual({ monthlyBudget: null, goals: [], styleTags: [], departments: [], sizes: {}, address: null, updatedAt: null });
  });

  it("saves budget, goals and style tags and reads them back", async () => {
    const client = await fixture.app.mcpClient("bob");
    const saved = await callOk(client, "profile.upsertBudgetAndGoals", {
      monthlyBudget: 249.5,
      goals: ["Build a work wardrobe"],
      styleTags: ["Minimalist", "classic", "minimalist"],
    });
    expect(saved.monthlyBudget).toEqual({ amountMinor: 24950, currency: "USD", formatted: "$249.50" });
    const profile = await callOk(client, "profile.get", {});
    expect(profile.goals).toEqual(["Build a work wardrobe"]);
    expect(profile.styleTags).toEqual(["minimalist", "classic"]);
  });

  it("one user never reads another user's profile, at either door", async () => {
    const writer = await fixture.app.mcpClient("grace");
    await callOk(writer, "profile.upsertBudgetAndGoals", { monthlyBudget: 777, goals: ["secret goal"], styleTags: ["edgy"] });
    const reader = await fixture.app.mcpClient("carol");
    const profile = await callOk<Profile>(reader, "profile.get", {});
    expect(JSON.stringify(profile)).not.toContain("secret goal");
    expect(profile.monthlyBudget?.amountMinor).not.toBe(77700);
    const token = await fixture.app.idp.tokenFor("carol", { scopes: ["profile:read"] });
    const viaTrpc = await fetch(`${fixture.app.url}/api/trpc/profile.get?input=%7B%7D`, { headers: { authorization: `Bearer ${token}` } });
    expect(await viaTrpc.text()).not.toContain("secret goal");
  });

  it("merges sizes: a new size keeps the ones already saved, a repeated one replaces", async () => {
    const client = await fixture.app.mcpClient("carol");
    await callOk(client, "profile.upsertSizes", { sizes: { top: "M", waist: 30 } });
    await callOk(client, "profile.upsertSizes", { sizes: { shoe: "EU 39", top: "L", fits: ["petite", "tall"] } });
    const profile = await callOk(client, "profile.get", {});
    expect(profile.sizes).toEqual({ top: "L", waist: 30, shoe: "EU 39", fits: ["petite", "tall"] });
  });

  it("sets the address and audits the change without copying the address into the audit trail", async () => {
    const client = await fixture.app.mcpClient("dave");
    const address = { line1: "1 Main St", city: "Springfield", state: "IL", postalCode: "62701", country: "us" };
    const saved = await callOk(client, "profile.setAddress", { address });
    expect(saved.address).toEqual({ ...address, country: "US" });
    const events = await listAuditEventsForUser(fixture.database.db, "dave");
    const event = events.find((e) => e.eventType === "profile.address_updated");
    expect(event).toMatchObject({ actorKind: "user", via: "mcp", entityType: "profile", entityId: "dave" });
    expect(JSON.stringify(event?.payload)).not.toContain("Main St");
    expect(event?.requestId).toBeTruthy();
  });

  it("every profile mutation writes exactly one audit event", async () => {
    const client = await fixture.app.mcpClient("erin");
    await callOk(client, "profile.upsertBudgetAndGoals", { monthlyBudget: 100, goals: [], styleTags: [] });
    await callOk(client, "profile.upsertSizes", { sizes: { top: "S" } });
    await callOk(client, "profile.setAddress", {
      address: { line1: "2 Rue X", city: "Paris", state: "IDF", postalCode: "75001", country: "FR" },
    });
    await callOk(client, "profile.get", {});
    const types = (await listAuditEventsForUser(fixture.database.db, "erin")).map((e) => e.eventType).sort();
    expect(types).toEqual(["profile.address_updated", "profile.budget_goals_updated", "profile.sizes_updated"]);
  });
});

describe("bad input is refused with a structured error and changes nothing", () => {
  const cases: Array<[string, string, Record<string, unknown>, string]> = [
    ["negative budget", "profile.upsertBudgetAndGoals", { monthlyBudget: -5, goals: [], styleTags: [] }, "monthlyBudget"],
    ["budget as text", "profile.upsertBudgetAndGoals", { monthlyBudget: "lots", goals: [], styleTags: [] }, "monthlyBudget"],
    ["10,000 style tags", "profile.upsertBudgetAndGoals", { monthlyBudget: 10, goals: [], styleTags: Array.from({ length: 10_000 }, (_, i) => `t${i}`) }, "styleTags"],
    ["an unknown field", "profile.upsertBudgetAndGoals", { monthlyBudget: 10, goals: [], styleTags: [], budget: 5 }, ""],
    ["sizes that are not a map", "profile.upsertSizes", { sizes: "M" }, "sizes"],
    ["a size name with markup", "profile.upsertSizes", { sizes: { "<script>": "M" } }, "sizes"],
    ["a country that is not an ISO code", "profile.setAddress", { address: { line1: "1 A", city: "B", state: "C", postalCode: "1", country: "France" } }, "address.country"],
    ["an address without a city", "profile.setAddress", { address: { line1: "1 A", state: "C", postalCode: "1", country: "FR" } }, "address.city"],
  ];

  it.each(cases)("%s", async (_label, tool, args, field) => {
    const client = await fixture.app.mcpClient("frank");
    const before = await callOk(client, "profile.get", {});
    const outcome = await callTool(client, tool, args);
    expect(outcome.isError).toBe(true);
    expect(outcome.error?.code).toBe("validation");
    expect(outcome.error?.issues?.some((i) => i.field.startsWith(field))).toBe(true);
    expect(outcome.error?.message).toMatch(/^Invalid /);
    expect(await callOk(client, "profile.get", {})).toEqual(before);
    expect((await listAuditEventsForUser(fixture.database.db, "frank")).length).toBe(0);
  });
});
