import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonSchemaOf } from "@/server/mcp/tools";
import { proceduresAt } from "@/server/procedures";
import type { Procedure } from "@/server/procedures/define";
import { useTestApp } from "../support/fixture";
import { toolErrorOf } from "../support/mcp";

/**
 * Property: whatever a caller sends a procedure, the answer is a result or a refusal of ours, never
 * `internal` and never a 5xx. Inputs are generated from each procedure's own input schema (so new
 * procedures are fuzzed with no test to write), mostly well-shaped with hostile values inside: strings
 * Postgres cannot store, huge and fractional numbers, wrong types, unknown fields.
 */
const fixture = useTestApp();
const RUNS = 25;

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
}

const hostileString = fc.constantFrom("a\u0000b", "\ud800", "x\udfffy", "", " ", "x".repeat(5000), "💃🏽", "'; drop table users; --", "%00", "\\u0000");
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(1e308, -1, 0.001, 2 ** 53 + 1, -0, null, true, []),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

function arbitraryFor(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 6, arbitrary: shaped(schema, depth) }, { weight: 1, arbitrary: hostile });
}

function shaped(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  if (depth > 5) return hostile;
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants?.length) return fc.oneof(...variants.map((v) => arbitraryFor(v, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "object": {
      const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, arbitraryFor(v, depth + 1)]));
      const record = fc.record(properties, { requiredKeys: [] });
      if (typeof schema.additionalProperties === "object") {
        return fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), hostileString), arbitraryFor(schema.additionalProperties, depth + 1), { maxKeys: 4 });
      }
      return fc.oneof(
        { weight: 5, arbitrary: record },
        { weight: 1, arbitrary: record.map((r) => ({ ...(r as object), unexpected: "field" })) },
      );
    }
    case "array":
      return fc.array(schema.items ? arbitraryFor(schema.items, depth + 1) : hostile, { maxLength: 8 });
    case "string":
      return fc.oneof(fc.string({ maxLength: 40 }), hostileString, fc.constantFrom("prd_000001", "tee", "M", "US", "outerwear"));
    case "integer":
    case "number":
      return fc.oneof(
        fc.integer({ min: -5, max: 60 }),
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }),
        fc.constantFrom(schema.minimum ?? 0, schema.maximum ?? 1e9, 1e9),
      );
    case "boolean":
      return fc.boolean();
    default:
      return hostile;
  }
}

function inputArbitrary(procedure: Procedure) {
  return arbitraryFor(jsonSchemaOf(procedure.input, "input") as JsonSchema).map((value) =>
    value !== null && typeof value === "object" && !Array.isArray(value) ? value : { value },
  );
}

describe("fuzzing every procedure at every door it is served", () => {
  it.each(proceduresAt("mcp").map((p) => [p.name, p] as const))("MCP %s: never internal", async (_name, procedure) => {
    const client = await fixture.app.mcpClient("frank");
    await client.listTools();
    await fc.assert(
      fc.asyncProperty(inputArbitrary(procedure), async (args) => {
        // The SDK Client validates successes against the outputSchema: a mismatch throws here.
        const result = await client.callTool({ name: procedure.name, arguments: args as Record<string, unknown> });
        if (result.isError) expect(toolErrorOf(result)?.code).not.toBe("internal");
      }),
      { numRuns: RUNS },
    );
  });

  it.each(proceduresAt("site").map((p) => [p.name, p] as const))("tRPC %s: never a 5xx", async (_name, procedure) => {
    const token = await fixture.app.idp.tokenFor("frank", { scopes: procedure.scopes });
    const url = `${fixture.app.url}/api/trpc/${procedure.name}`;
    await fc.assert(
      fc.asyncProperty(inputArbitrary(procedure), async (input) => {
        const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
        const response =
          procedure.kind === "query"
            ? await fetch(`${url}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers })
            : await fetch(url, { method: "POST", headers, body: JSON.stringify(input) });
        const body = await response.text();
        expect(response.status, body).toBeLessThan(500);
      }),
      { numRuns: RUNS },
    );
  });
});
