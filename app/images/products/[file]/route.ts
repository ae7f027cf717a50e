import { findProduct } from "@/db/repos/catalog";
import { getApp } from "@/server/app";
import { renderProductSvg } from "@/server/catalog/product-image";

export const runtime = "nodejs";

/** /images/products/<id>.svg: the generated picture of a catalog item. */
export async function GET(_request: Request, { params }: { params: Promise<{ file: string }> }): Promise<Response> {
  const { file } = await params;
  const id = file.endsWith(".svg") ? file.slice(0, -4) : null;
  if (!id || id.length > 100) return new Response("Not found", { status: 404 });
  const { database } = await getApp();
  const product = await findProduct(database.db, id);
  if (!product) return new Response("Not found", { status: 404 });
  return new Response(renderProductSvg(product), {
    headers: { "content-type": "image/svg+xml", "cache-control": "public, max-age=86400" },
  });
}
