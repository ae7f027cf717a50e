"use client";

import { CRS, divIcon, type LatLngBoundsExpression, type Map as LeafletMap } from "leaflet";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Circle, MapContainer, Marker, Tooltip, useMap, useMapEvents } from "react-leaflet";
import "leaflet/dist/leaflet.css";
import "./style-map.css";
import type { StyleMapSource, MapItem, MapView, NeighboursResult, ViewportArgs, ViewportResult, MapLegend } from "./types";

/**
 * The style map, shared by the site's /map page and the ChatGPT widget: Leaflet with `CRS.Simple` (the
 * style space is the plane, no tiles, nothing fetched but our own data and pictures). Where the data
 * comes from is the host's business (`source`: tRPC on the site, the host bridge in the widget).
 * Leaflet's keyboard handling pans (arrows) and zooms (+/-) the focused map; clusters and items are
 * focusable markers with labels, and Enter opens them.
 */
export interface StyleMapViewProps {
  source: StyleMapSource;
  initialView: MapView;
  filters?: ViewportArgs["filters"];
  /** The first result, when the host already has it (the widget's tool result). */
  initialResult?: ViewportResult | null;
  onViewChange?: (view: MapView, selectedId: string | null) => void;
  height?: number | string;
}

const ITEM_LIMIT = 60;

/** The items to draw: those listed for the model and those past its budget (`moreItems`), whichever door sent them. */
function drawable(result: ViewportResult): ViewportResult {
  const more = result.moreItems ?? [];
  return more.length ? { ...result, items: [...result.items, ...more], omitted: result.omitted - more.length, moreItems: [] } : result;
}

export function StyleMapView({ source, initialView, filters, initialResult, onViewChange, height = 520 }: StyleMapViewProps) {
  const [data, setData] = useState<ViewportResult | null>(initialResult ? drawable(initialResult) : null);
  const [legend, setLegend] = useState<MapLegend | null>(initialResult?.legend ?? null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<MapItem | null>(null);
  const [neighbours, setNeighbours] = useState<NeighboursResult | null>(null);
  // The view as the map reports it (null until it has measured itself).
  const [view, setView] = useState<MapView | null>(null);
  const mapRef = useRef<LeafletMap | null>(null);
  const requestId = useRef(0);
  const filtersKey = JSON.stringify(filters ?? {});

  const load = useCallback(
    async (next: MapView) => {
      const id = ++requestId.current;
      try {
        const result = await source.viewport({ viewport: next.viewport, zoom: next.zoom, filters, limit: ITEM_LIMIT });
        if (id !== requestId.current) return;
        setData(drawable(result));
        if (result.legend) setLegend(result.legend);
        setError(null);
      } catch (e) {
        if (id === requestId.current) setError(e instanceof Error ? e.message : "The map could not be loaded.");
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps -- filters are compared by value
    [source, filtersKey],
  );

  // A host that already has the first result (the widget's tool output) needs no call for it.
  const skipFirst = useRef(initialResult != null);
  useEffect(() => {
    if (!view) return;
    if (skipFirst.current) {
      skipFirst.current = false;
      return;
    }
    void load(view);
  }, [load, view]);

  useEffect(() => {
    if (view) onViewChange?.(view, selected?.id ?? null);
  }, [view, selected, onViewChange]);

  const select = useCallback((item: MapItem | null) => {
    setSelected(item);
    setNeighbours(null);
  }, []);

  const rate = async (item: MapItem, rating: -1 | 1) => {
    const value = item.yourRating === rating ? 0 : rating;
    await source.rate(item.id, value);
    setSelected({ ...item, yourRating: value });
    if (view) await load(view);
  };

  const showNeighbours = async (item: MapItem) => setNeighbours(await source.neighbors(item.id));

  const status = data
    ? data.total === 0
      ? "Nothing here under these filters."
      : `${data.total} item${data.total === 1 ? "" : "s"} in view: ${data.clusters.length} cluster${data.clusters.length === 1 ? "" : "s"}, ${data.items.length} single item${data.items.length === 1 ? "" : "s"}${data.omitted ? ` (${data.omitted} more: zoom in)` : ""}.`
    : "Loading the map…";

  const region = data?.taste?.region ?? null;
  return (
    <div className="style-map">
      <div className="style-map-canvas" style={{ height }}>
        <MapContainer
          crs={CRS.Simple}
          center={[(initialView.viewport.ymin + initialView.viewport.ymax) / 2, (initialView.viewport.xmin + initialView.viewport.xmax) / 2]}
          zoom={initialView.zoom}
          minZoom={-3}
          maxZoom={16}
          zoomSnap={1}
          keyboard
          attributionControl={false}
          style={{ height: "100%", width: "100%" }}
          ref={mapRef}
        >
          <ViewTracker onView={setView} />
          <Landmarks legend={legend} zoom={view?.zoom ?? initialView.zoom} />
          {region ? <Circle center={[region.y, region.x]} radius={region.radius} pathOptions={{ color: "#7b4fd6", weight: 2, fillOpacity: 0.08, dashArray: "6 4" }} /> : null}
          {data?.clusters.map((c) => (
            <Marker
              key={c.id}
              position={[c.y, c.x]}
              icon={clusterIcon(c.count, `Cluster of ${c.count} items: ${c.label}`)}
              title={`${c.count} items: ${c.label}, ${c.priceRange.formatted}`}
              alt={`Cluster of ${c.count} items: ${c.label}`}
              keyboard
              eventHandlers={{ click: () => mapRef.current?.flyToBounds(toBounds(c.bounds), { maxZoom: c.expansionZoom, duration: 0.4 }) }}
            >
              {/* What the cluster holds, on hover and on keyboard focus: its representative piece and range. */}
              <Tooltip direction="top" offset={[0, -14]} className="sm-cluster-tip">
                {c.representative.imageUrl ? <img src={c.representative.imageUrl} alt="" width={48} height={58} /> : null}
                <span>
                  <strong>{c.count.toLocaleString("en-US")} items</strong>
                  <br />
                  {c.label}
                  <br />
                  {c.priceRange.formatted}
                </span>
              </Tooltip>
            </Marker>
          ))}
          {data?.items.map((item) => (
            <Marker
              key={item.id}
              position={[item.y, item.x]}
              icon={itemIcon(item, selected?.id === item.id)}
              title={`${item.title}, ${item.price.formatted}`}
              alt={`${item.title}, ${item.price.formatted}${item.yourRating === 1 ? ", liked" : item.yourRating === -1 ? ", disliked" : ""}`}
              keyboard
              eventHandlers={{ click: () => select(item) }}
            />
          ))}
          {data?.taste?.liked.map((p) => <Marker key={`l-${p.id}`} position={[p.y, p.x]} icon={tasteIcon("liked")} interactive={false} />)}
          {data?.taste?.disliked.map((p) => <Marker key={`d-${p.id}`} position={[p.y, p.x]} icon={tasteIcon("disliked")} interactive={false} />)}
        </MapContainer>
        {legend ? <Axes legend={legend} /> : null}
      </div>
      <p className="style-map-status" role="status" aria-live="polite">
        {error ?? status}
      </p>
      {region ? (
        <p className="style-map-taste">
          You tend to like the <strong>{region.label}</strong> corner{" "}
          <button type="button" onClick={() => mapRef.current?.flyTo([region.y, region.x], Math.max(view?.zoom ?? 0, 2), { duration: 0.4 })}>
            Explore it
          </button>
        </p>
      ) : null}
      {selected ? (
        <ItemPanel
          item={selected}
          neighbours={neighbours}
          onClose={() => select(null)}
          onOpen={() => source.openItem(selected.pageUrl)}
          onRate={(r) => void rate(selected, r)}
          onNeighbours={() => void showNeighbours(selected)}
          onPick={(n) => {
            select(n);
            mapRef.current?.flyTo([n.y, n.x], Math.max(view?.zoom ?? 0, MAX_DETAIL_ZOOM), { duration: 0.4 });
          }}
        />
      ) : null}
    </div>
  );
}

const MAX_DETAIL_ZOOM = 9;

function ViewTracker({ onView }: { onView: (view: MapView) => void }) {
  const map = useMap();
  const report = useCallback(() => {
    const b = map.getBounds();
    onView({ viewport: { xmin: b.getWest(), xmax: b.getEast(), ymin: b.getSouth(), ymax: b.getNorth() }, zoom: map.getZoom() });
  }, [map, onView]);
  useMapEvents({ moveend: report });
  useEffect(() => {
    report();
  }, [report]);
  return null;
}

function Landmarks({ legend, zoom }: { legend: MapLegend | null; zoom: number }) {
  const icons = useMemo(
    () => new Map((legend?.styles ?? []).map((s) => [s.label, divIcon({ className: "sm-landmark", html: escapeHtml(s.label), iconSize: [90, 18], iconAnchor: [45, 9] })])),
    [legend],
  );
  if (!legend || zoom > 2) return null;
  return (
    <>
      {legend.styles.map((s) => (
        <Marker key={s.label} position={[s.y, s.x]} icon={icons.get(s.label)!} interactive={false} keyboard={false} />
      ))}
    </>
  );
}

function Axes({ legend }: { legend: MapLegend }) {
  return (
    <div className="sm-axes" aria-label="What the directions mean">
      <span className="sm-axis sm-axis-left">← {legend.axes.x.negative}</span>
      <span className="sm-axis sm-axis-right">{legend.axes.x.positive} →</span>
      <span className="sm-axis sm-axis-top">↑ {legend.axes.y.positive}</span>
      <span className="sm-axis sm-axis-bottom">↓ {legend.axes.y.negative}</span>
    </div>
  );
}

function ItemPanel(props: {
  item: MapItem;
  neighbours: NeighboursResult | null;
  onClose: () => void;
  onOpen: () => void;
  onRate: (rating: -1 | 1) => void;
  onNeighbours: () => void;
  onPick: (item: MapItem) => void;
}) {
  const { item, neighbours } = props;
  return (
    <section className="sm-panel" aria-label={`Selected: ${item.title}`}>
      {/* eslint-disable-next-line @next/next/no-img-element -- our own origin */}
      <img src={item.imageUrl} alt="" width={96} height={116} />
      <div>
        <h3>{item.title}</h3>
        <p>
          {item.brand} · <strong>{item.price.formatted}</strong> · {item.category}
        </p>
        <p className="sm-actions">
          <button type="button" onClick={props.onOpen}>
            Open item
          </button>
          <button type="button" aria-pressed={item.yourRating === 1} onClick={() => props.onRate(1)}>
            {item.yourRating === 1 ? "Liked" : "Like"}
          </button>
          <button type="button" aria-pressed={item.yourRating === -1} onClick={() => props.onRate(-1)}>
            {item.yourRating === -1 ? "Disliked" : "Dislike"}
          </button>
          <button type="button" onClick={props.onNeighbours}>
            Similar styles
          </button>
          <button type="button" onClick={props.onClose} aria-label="Close the item">
            ×
          </button>
        </p>
        {neighbours ? (
          <ol className="sm-neighbours" aria-label={`Near ${item.title} in style`}>
            {neighbours.neighbors.map((n) => (
              <li key={n.id}>
                <button type="button" className="link-button" onClick={() => props.onPick(n)}>
                  {n.title}
                </button>{" "}
                <span>
                  {n.price.formatted}: {n.why}
                </span>
              </li>
            ))}
          </ol>
        ) : null}
      </div>
    </section>
  );
}

/** A cluster's marker: its count on a disc sized by it; the hidden text names it for screen readers. */
function clusterIcon(count: number, name: string) {
  const size = Math.round(28 + Math.min(34, Math.log10(count) * 11));
  const label = count >= 10_000 ? `${Math.round(count / 1000)}k` : count >= 1000 ? `${(count / 1000).toFixed(1)}k` : String(count);
  return divIcon({ className: "sm-cluster", html: `<span aria-hidden="true">${label}</span><span class="sm-sr">${escapeHtml(name)}</span>`, iconSize: [size, size] });
}

function itemIcon(item: MapItem, selected: boolean) {
  const mark = item.yourRating === 1 ? " sm-liked" : item.yourRating === -1 ? " sm-disliked" : "";
  return divIcon({
    className: `sm-item${mark}${selected ? " sm-selected" : ""}`,
    html: `<img src="${escapeHtml(item.imageUrl)}" alt="${escapeHtml(`${item.title}, ${item.price.formatted}${item.yourRating === 1 ? ", liked" : item.yourRating === -1 ? ", disliked" : ""}`)}" width="34" height="40">`,
    iconSize: [38, 44],
  });
}

function tasteIcon(kind: "liked" | "disliked") {
  return divIcon({ className: `sm-mark sm-mark-${kind}`, html: kind === "liked" ? "♥" : "✕", iconSize: [14, 14] });
}

function toBounds(b: { xmin: number; xmax: number; ymin: number; ymax: number }): LatLngBoundsExpression {
  const pad = 0.001;
  return [
    [b.ymin - pad, b.xmin - pad],
    [b.ymax + pad, b.xmax + pad],
  ];
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
