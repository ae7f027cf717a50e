import { WIDGET_BUNDLES } from "./widget-bundles.generated";

/**
 * Every widget ChatGPT (or any MCP Apps host) can render, served as an MCP resource. Each is a React
 * entry point in components/widgets/, bundled into one self-contained HTML document by
 * `npm run widgets` (run by dev, build and test). Its URI carries its content hash, so a host never
 * renders a stale cached copy after a deployment.
 */
export const WIDGETS = {
  "product-carousel": {
    title: "Product carousel",
    description:
      "A scrollable row of the products found: picture, title, brand, price and sizes in stock. Each card " +
      "opens the item on the Stylist site. The model does not need to repeat the list.",
    prefersBorder: false,
  },
  "style-map": {
    title: "Style map",
    description:
      "An interactive map of the catalog where similar styles sit together: clusters with counts that split as " +
      "the user zooms, single items with pictures, the user's liked and disliked items and their style region. " +
      "The user pans, zooms, opens items, rates them and asks for neighbours inside the widget; the model does " +
      "not need to list what the map shows.",
    prefersBorder: true,
  },
  "tryon-result": {
    title: "Try-on result",
    description:
      "The user's photo and the try-on render side by side (before and after), or the job's progress while it runs, " +
      "with a button to check again. The model does not need to describe the images.",
    prefersBorder: true,
  },
} as const satisfies Record<string, WidgetDefinition>;

export interface WidgetDefinition {
  title: string;
  /** What the widget shows, for the model (`openai/widgetDescription`). */
  description: string;
  prefersBorder: boolean;
}

export type WidgetName = keyof typeof WIDGETS;

export const WIDGET_MIME_TYPE = "text/html;profile=mcp-app";

export function widgetUri(name: WidgetName): string {
  return `ui://widget/${name}-${WIDGET_BUNDLES[name].hash}.html`;
}

/**
 * A widget's CSP: it loads images from our own origin and nothing else (imported feed images are proxied
 * through the app), and calls tools through the host, never the network. Both conventions, same lists.
 */
export function widgetCsp(appBaseUrl: string) {
  const origin = new URL(appBaseUrl).origin;
  const connect: string[] = [];
  const resource = [origin];
  return {
    ui: { connectDomains: connect, resourceDomains: resource },
    openai: { connect_domains: connect, resource_domains: resource },
  };
}

export function widgetResource(name: WidgetName, appBaseUrl: string) {
  const definition: WidgetDefinition = WIDGETS[name];
  const csp = widgetCsp(appBaseUrl);
  const _meta = {
    ui: { csp: csp.ui, prefersBorder: definition.prefersBorder },
    "openai/widgetCSP": csp.openai,
    "openai/widgetDescription": definition.description,
    "openai/widgetPrefersBorder": definition.prefersBorder,
  };
  return {
    listing: { uri: widgetUri(name), name, title: definition.title, description: definition.description, mimeType: WIDGET_MIME_TYPE, _meta },
    contents: { uri: widgetUri(name), mimeType: WIDGET_MIME_TYPE, text: WIDGET_BUNDLES[name].html, _meta },
  };
}

export const widgetNames = Object.keys(WIDGETS) as WidgetName[];
