import { z } from "zod";
import type { Procedure } from "../procedures/define";

/** JSON Schema as MCP expects it: an object schema without the draft `$schema` marker. */
export function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): { type: "object"; [key: string]: unknown } {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<string, unknown>;
  return { ...rest, type: "object" };
}

/** The tools/list entry of a procedure: contract name, hints, schemas and the scopes it needs. */
export function toolDefinition(procedure: Procedure) {
  return {
    name: procedure.name,
    title: procedure.title,
    description: procedure.description,
    inputSchema: jsonSchemaOf(procedure.input, "input"),
    outputSchema: jsonSchemaOf(procedure.output, "output"),
    annotations: { title: procedure.title, ...procedure.annotations },
    _meta: {
      // The Apps SDK reads securitySchemes from _meta (the MCP SDK drops unknown top-level fields).
      securitySchemes: [{ type: "oauth2", scopes: [...procedure.scopes] }],
    },
  };
}
