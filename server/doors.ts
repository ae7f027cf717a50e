import { findProduct } from "@/db/repos/catalog";
import { exportAccount } from "./account/account";
import { contextFor } from "./http";
import { isAssetKey, verifyAssetUrl } from "./photos/storage";
import type { AppDeps } from "./app";
import { protectedResourceMetadataResponse } from "./auth/metadata-route";
import { renderProductSvg } from "./catalog/product-image";
import { healthResponse } from "./health";
import { jsonResponse, requestIdOf } from "./http";
import { createMcpHandler } from "./mcp/handler";
import { createStripeWebhookHandler } from "./payments/webhook";
import { createTrpcHandler, type SiteSessionResolver } from "./trpc/handler";

export type DoorHandler = (request: Request) => Promise<Response>;

/**
 * The app's machine routes, built once from its dependencies. The Next route files export these (each
 * file is one line), and the integration tests serve the same table on a loopback port, so a test
 * exercises exactly what production serves.
 */
export function createDoors(getDeps: () => Promise<AppDeps>, siteSession: SiteSessionResolver) {
  return {
    mcp: createMcpHandler(getDeps),
    trpc: createTrpcHandler(getDeps, siteSession),
    protectedResource: (async () => protectedResourceMetadataResponse((await getDeps()).env)) as DoorHandler,
    health: (async (request) => {
      try {
        return await healthResponse(request, (await getDeps()).database);
      } catch {
        return jsonResponse(
          { status: "down", database: { status: "down", error: "The database could not be opened." } },
          { status: 503, requestId: requestIdOf(request) },
        );
      }
    }) as DoorHandler,
    productImage: (async (request) => productImage(request, getDeps)) as DoorHandler,
    asset: (async (request) => serveAsset(request, getDeps)) as DoorHandler,
    accountExport: (async (request) => accountExport(request, getDeps, siteSession)) as DoorHandler,
    stripeWebhook: createStripeWebhookHandler(getDeps) as DoorHandler,
  } satisfies Record<string, DoorHandler>;
}

export type Doors = ReturnType<typeof createDoors>;

/** Path → door, as the app/ route files mount them. */
export const DOOR_ROUTES: ReadonlyArray<{ path: string; prefix?: true; door: keyof Doors }> = [
  { path: "/mcp", door: "mcp" },
  { path: "/api/trpc/", prefix: true, door: "trpc" },
  { path: "/.well-known/oauth-protected-resource", door: "protectedResource" },
  { path: "/.well-known/oauth-protected-resource/mcp", door: "protectedResource" },
  { path: "/api/health", door: "health" },
  { path: "/images/products/", prefix: true, door: "productImage" },
  { path: "/assets/", prefix: true, door: "asset" },
  { path: "/account/export", door: "accountExport" },
  { path: "/webhooks/stripe", door: "stripeWebhook" },
];

export function routeFor(doors: Doors, pathname: string): DoorHandler | null {
  const route = DOOR_ROUTES.find((r) => (r.prefix ? pathname.startsWith(r.path) : pathname === r.path));
  return route ? doors[route.door] : null;
}

const PRODUCT_IMAGE = /^\/images\/products\/([A-Za-z0-9._:-]{1,100})\.svg$/;

/** /images/products/<id>.svg: the generated picture of a catalog item. Only well-formed ids reach the database. */
async function productImage(request: Request, getDeps: () => Promise<AppDeps>): Promise<Response> {
  const match = PRODUCT_IMAGE.exec(new URL(request.url).pathname);
  if (!match?.[1]) return new Response("Not found", { status: 404 });
  const product = await findProduct((await getDeps()).database.db, match[1]);
  if (!product) return new Response("Not found", { status: 404 });
  return new Response(renderProductSvg(product), {
    headers: { "content-type": "image/svg+xml", "cache-control": "public, max-age=86400" },
  });
}

/**
 * /assets/<key>?u=&e=&s=: a user's photo or render, only with a valid, unexpired signature for that
 * user (server/photos/storage.ts). Never cached by shared caches, never framed elsewhere.
 */
async function serveAsset(request: Request, getDeps: () => Promise<AppDeps>): Promise<Response> {
  const url = new URL(request.url);
  const key = decodeURIComponent(url.pathname.slice("/assets/".length));
  const deps = await getDeps();
  const ok =
    isAssetKey(key) &&
    verifyAssetUrl(deps.env.appSecret, key, url.searchParams.get("u") ?? "", Number(url.searchParams.get("e")), url.searchParams.get("s") ?? "", new Date());
  if (!ok) return new Response("Not found", { status: 404, headers: { "cache-control": "no-store" } });
  const asset = await deps.photos.assets.get(key);
  if (!asset) return new Response("Not found", { status: 404, headers: { "cache-control": "no-store" } });
  return new Response(Buffer.from(asset.bytes), {
    headers: { "content-type": asset.contentType, "cache-control": "private, max-age=300", "content-disposition": "inline" },
  });
}

/**
 * /account/export: the signed-in user's archive (server/account/account.ts), for their browser only:
 * the site session (never a bearer token), no caching anywhere.
 */
async function accountExport(request: Request, getDeps: () => Promise<AppDeps>, siteSession: SiteSessionResolver): Promise<Response> {
  const requestId = requestIdOf(request);
  const actor = await siteSession(request);
  if (!actor) return jsonResponse({ error: { code: "unauthorized", message: "Sign in on the site to export your data." } }, { status: 401, requestId });
  const deps = await getDeps();
  const ctx = contextFor(deps, actor, requestId) as Parameters<typeof exportAccount>[0];
  const { zip } = await exportAccount(ctx);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(Buffer.from(zip), {
    headers: {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="stylist-export-${day}.zip"`,
      "cache-control": "no-store",
    },
  });
}
