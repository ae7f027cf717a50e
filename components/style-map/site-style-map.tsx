"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { useCallback, useMemo } from "react";
import { useTRPC } from "../trpc";
import type { MapView, StyleMapSource, ViewportArgs } from "./types";

// Leaflet reads `window` when it loads: the map renders in the browser only.
const StyleMapView = dynamic(() => import("./style-map-view").then((m) => m.StyleMapView), {
  ssr: false,
  loading: () => <p role="status">Loading the map…</p>,
});

/**
 * The site's /map: the shared map component fed through tRPC. The view (centre and zoom) follows the
 * URL as the user pans, beside the filters, so a view can be shared by copying the address.
 */
export function SiteStyleMap({ initialView, filters }: { initialView: MapView; filters: ViewportArgs["filters"] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rateItem = useMutation(trpc.feedback.rateItem.mutationOptions());
  const source = useMemo<StyleMapSource>(
    () => ({
      viewport: (args) => queryClient.fetchQuery({ ...trpc.styleMap.getViewportItems.queryOptions(args), staleTime: 0 }),
      neighbors: (itemId) => queryClient.fetchQuery({ ...trpc.styleMap.getItemNeighbors.queryOptions({ itemId, limit: 6 }), staleTime: 0 }),
      rate: async (itemId, rating) => {
        await rateItem.mutateAsync({ itemId, rating });
      },
      openItem: (url) => window.location.assign(url),
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the mutation object changes every render; mutateAsync does not
    [queryClient, trpc],
  );
  const onViewChange = useCallback((view: MapView) => {
    const url = new URL(window.location.href);
    const x = (view.viewport.xmin + view.viewport.xmax) / 2;
    const y = (view.viewport.ymin + view.viewport.ymax) / 2;
    url.searchParams.set("x", x.toFixed(2));
    url.searchParams.set("y", y.toFixed(2));
    url.searchParams.set("z", String(view.zoom));
    window.history.replaceState(null, "", url);
  }, []);
  return <StyleMapView source={source} initialView={initialView} filters={filters} onViewChange={onViewChange} height="70vh" />;
}
