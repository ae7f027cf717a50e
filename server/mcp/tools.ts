import { z } from "zod";
import type { Procedure } from "../procedures/define";
import { widgetUri } from "./widgets";

/** JSON Schema as MCP expects it: an object schema without the draft `$schema` marker. */
export function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): { type: "object"; [key: string]: unknown } {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<string, unknown>;
  return { ...rest, type: "object" };
}

/** What the model sees (`structuredContent`): the output less the fields only the widget reads. */
export function modelOutputSchema(procedure: Procedure): z.ZodType {
  const widgetOnly = procedure.mcp.widgetOnly ?? [];
  if (widgetOnly.length === 0 || !(procedure.output instanceof z.ZodObject)) return procedure.output;
  return procedure.output.omit(Object.fromEntries(widgetOnly.map((key) => [key, true])) as Record<string, true>);
}

/** The tools/list entry of a procedure: contract name, hints, schemas, scopes and presentation. */
export function toolDefinition(procedure: Procedure) {
  const { mcp } = procedure;
  const _meta: Record<string, unknown> = {
    // The Apps SDK reads securitySchemes from _meta (the MCP SDK drops unknown top-level fields).
    securitySchemes: [{ type: "oauth2", scopes: [...procedure.scopes] }],
  };
  const ui: Record<string, unknown> = {};
  if (mcp.widget) {
    // MCP Apps and the Apps SDK name the template differently; both get the same URI.
    ui.resourceUri = widgetUri(mcp.widget);
    _meta["openai/outputTemplate"] = widgetUri(mcp.widget);
  }
  if (mcp.visibility) ui.visibility = [...mcp.visibility];
  if (Object.keys(ui).length > 0) _meta.ui = ui;
  if (mcp.invoking) _meta["openai/toolInvocation/invoking"] = mcp.invoking;
  if (mcp.invoked) _meta["openai/toolInvocation/invoked"] = mcp.invoked;
  if (mcp.fileParams?.length) _meta["openai/fileParams"] = [...mcp.fileParams];
  if (mcp.widgetAccessible !== undefined) _meta["openai/widgetAccessible"] = mcp.widgetAccessible;
  return {
    name: procedure.name,
    title: procedure.title,
    description: procedure.description,
    inputSchema: jsonSchemaOf(procedure.input, "input"),
    outputSchema: jsonSchemaOf(modelOutputSchema(procedure), "output"),
    annotations: { title: procedure.title, ...procedure.annotations },
    _meta,
  };
}
