import { StrictMode, useCallback, useMemo } from "react";
import { createRoot } from "react-dom/client";
import { StyleMapView } from "../style-map/style-map-view";
import { WHOLE_MAP, type MapView, type NeighboursResult, type StyleMapSource, type ViewportResult } from "../style-map/types";
import { callTool, connectToHost, openLink, readWidgetState, saveWidgetState, useToolResult } from "./bridge";
import "./widget.css";

interface CallResult {
  structuredContent?: unknown;
  _meta?: Record<string, unknown> | null;
  isError?: boolean;
  content?: Array<{ type: string; text?: string }>;
}

/** A tool's answer through either bridge: structuredContent plus the widget-only fields in _meta. */
async function call<T>(name: string, args: Record<string, unknown>): Promise<T> {
  const result = (await callTool(name, args)) as CallResult;
  if (result?.isError) throw new Error(result.content?.[0]?.text ?? `${name} failed`);
  return { ...((result.structuredContent ?? result) as object), ...(result._meta ?? {}) } as T;
}

const source: StyleMapSource = {
  viewport: (args) => call<ViewportResult>("styleMap.getViewportItems", args as Record<string, unknown>),
  neighbors: (itemId) => call<NeighboursResult>("styleMap.getItemNeighbors", { itemId, limit: 6 }),
  rate: async (itemId, rating) => {
    await call("feedback.rateItem", { itemId, rating });
  },
  openItem: openLink,
};

interface WidgetState {
  view?: MapView;
  selected?: string | null;
}

/** The styleMap.getViewportItems widget: the map itself, panned and zoomed through the host. */
function StyleMapWidget() {
  const result = useToolResult<ViewportResult>();
  const saved = useMemo(() => readWidgetState<WidgetState>(), []);
  // Only the view and the selection are kept in widgetState: never ratings, taste or anything personal.
  const remember = useCallback((view: MapView, selected: string | null) => saveWidgetState<WidgetState>({ view: roundView(view), selected }), []);
  if (!result) return <p className="widget-status" role="status">Loading the style map…</p>;
  const first = result.structuredContent ? ({ ...result.structuredContent, ...(result.meta ?? {}) } as ViewportResult) : null;
  const initialView: MapView =
    saved?.view ?? (first?.viewport ? { viewport: first.viewport, zoom: Math.round(first.zoom) } : WHOLE_MAP);
  return <StyleMapView source={source} initialView={initialView} initialResult={saved?.view ? null : first} onViewChange={remember} height={440} />;
}

function roundView(view: MapView): MapView {
  const r = (n: number) => Math.round(n * 100) / 100;
  return { zoom: view.zoom, viewport: { xmin: r(view.viewport.xmin), xmax: r(view.viewport.xmax), ymin: r(view.viewport.ymin), ymax: r(view.viewport.ymax) } };
}

connectToHost();
const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <StyleMapWidget />
    </StrictMode>,
  );
}
