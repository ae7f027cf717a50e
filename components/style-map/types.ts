import type { z } from "zod";
import type { viewportInput, viewportOutput } from "@/server/procedures/style-map";
import type { getItemNeighbors } from "@/server/procedures/style-map";

/** The style map's data as both hosts deliver it (types only: nothing of the server is bundled). */
export type ViewportResult = z.infer<typeof viewportOutput>;
export type ViewportArgs = z.input<typeof viewportInput>;
export type MapItem = ViewportResult["items"][number];
export type MapLegend = ViewportResult["legend"];
export type NeighboursResult = z.infer<(typeof getItemNeighbors)["output"]>;

export interface MapView {
  viewport: { xmin: number; xmax: number; ymin: number; ymax: number };
  zoom: number;
}

/** Where the map's data comes from: tRPC on the site, the host bridge in the ChatGPT widget. */
export interface StyleMapSource {
  viewport(args: ViewportArgs): Promise<ViewportResult>;
  neighbors(itemId: string): Promise<NeighboursResult>;
  rate(itemId: string, rating: -1 | 0 | 1): Promise<void>;
  openItem(url: string): void;
}

export const WHOLE_MAP: MapView = { viewport: { xmin: -150, xmax: 150, ymin: -150, ymax: 150 }, zoom: 0 };
