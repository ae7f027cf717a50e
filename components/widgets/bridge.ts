import { useSyncExternalStore } from "react";

/**
 * The widget's side of the host, in both conventions ChatGPT and other hosts speak:
 * - MCP Apps: JSON-RPC over postMessage with the parent frame (`ui/initialize`, then
 *   `ui/notifications/tool-result`; `tools/call` and `ui/open-link` requests);
 * - the Apps SDK's `window.openai` (`toolOutput`, `toolResponseMetadata`, `callTool`, `openExternal`,
 *   and the `openai:set_globals` event), which is also the fallback when the first tool result was
 *   sent before this script listened.
 */
export interface ToolResult<T = unknown> {
  structuredContent: T | null;
  meta: Record<string, unknown> | null;
}

interface OpenAiGlobals {
  toolOutput?: unknown;
  toolResponseMetadata?: Record<string, unknown> | null;
  callTool?: (name: string, args: Record<string, unknown>) => Promise<unknown>;
  openExternal?: (options: { href: string }) => void;
}

declare global {
  interface Window {
    openai?: OpenAiGlobals;
  }
}

const APP_INFO = { name: "stylist-widget", version: "1.0.0" };
const MCP_APPS_PROTOCOL_VERSION = "2026-01-26";

let current: ToolResult | null = null;
let fromHostNotification = false;
const listeners = new Set<() => void>();
const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
let nextId = 1;
let mcpAppsReady = false;

function publish(result: ToolResult, viaNotification: boolean) {
  if (fromHostNotification && !viaNotification) return;
  fromHostNotification ||= viaNotification;
  current = result;
  for (const listener of listeners) listener();
}

function readOpenAiGlobals() {
  const openai = typeof window === "undefined" ? undefined : window.openai;
  if (openai && openai.toolOutput != null) {
    publish({ structuredContent: openai.toolOutput, meta: openai.toolResponseMetadata ?? null }, false);
  }
}

function hasParentFrame(): boolean {
  return typeof window !== "undefined" && window.parent !== window;
}

function request(method: string, params: Record<string, unknown>): Promise<unknown> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    window.parent.postMessage({ jsonrpc: "2.0", id, method, params }, "*");
  });
}

function notify(method: string, params: Record<string, unknown> = {}) {
  window.parent.postMessage({ jsonrpc: "2.0", method, params }, "*");
}

interface JsonRpcMessage {
  jsonrpc?: string;
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: { message?: string };
}

function onMessage(event: MessageEvent) {
  if (event.source !== window.parent) return;
  const message = event.data as JsonRpcMessage | null;
  if (!message || message.jsonrpc !== "2.0") return;
  if (message.id !== undefined && !message.method) {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error) waiter?.reject(new Error(message.error.message ?? "host error"));
    else waiter?.resolve(message.result);
    return;
  }
  if (message.method === "ui/notifications/tool-result" && message.params) {
    const params = message.params as { structuredContent?: unknown; _meta?: Record<string, unknown> };
    publish({ structuredContent: params.structuredContent ?? null, meta: params._meta ?? null }, true);
  }
}

let started = false;

/** Connects to the host once: MCP Apps handshake when framed, window.openai globals when present. */
export function connectToHost() {
  if (started || typeof window === "undefined") return;
  started = true;
  readOpenAiGlobals();
  window.addEventListener("openai:set_globals", readOpenAiGlobals);
  if (!hasParentFrame()) return;
  window.addEventListener("message", onMessage);
  request("ui/initialize", { protocolVersion: MCP_APPS_PROTOCOL_VERSION, appInfo: APP_INFO, appCapabilities: {} })
    .then(() => {
      mcpAppsReady = true;
      notify("ui/notifications/initialized");
    })
    // A host that only speaks window.openai may never answer; its globals still reach us.
    .catch(() => {});
}

/** The latest tool result the host gave this widget (null until the first arrives). */
export function useToolResult<T>(): ToolResult<T> | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current as ToolResult<T> | null,
    () => null,
  );
}

/** Opens a page of our site outside the chat: the host's way when it has one, a new tab otherwise. */
export function openLink(url: string): void {
  if (mcpAppsReady) {
    request("ui/open-link", { url }).catch(() => window.open(url, "_blank", "noopener"));
    return;
  }
  if (window.openai?.openExternal) {
    window.openai.openExternal({ href: url });
    return;
  }
  window.open(url, "_blank", "noopener");
}

/** Calls one of our tools through the host (the tool must declare `widgetAccessible`). */
export async function callTool(name: string, args: Record<string, unknown>): Promise<unknown> {
  if (mcpAppsReady) return request("tools/call", { name, arguments: args });
  if (window.openai?.callTool) return window.openai.callTool(name, args);
  throw new Error("No host to call tools through.");
}

/** The widget's saved state (ChatGPT's `widgetState`), if the host keeps one. */
export function readWidgetState<T>(): T | null {
  const openai = typeof window === "undefined" ? undefined : (window.openai as (OpenAiGlobals & { widgetState?: unknown }) | undefined);
  return (openai?.widgetState as T | undefined) ?? null;
}

/** Saves a small state the host shows the model and restores on re-render; never put personal data here. */
export function saveWidgetState<T>(state: T): void {
  const openai = typeof window === "undefined" ? undefined : (window.openai as (OpenAiGlobals & { setWidgetState?: (s: unknown) => void }) | undefined);
  openai?.setWidgetState?.(state);
}
