import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ProductDetail } from "@/components/product-detail";
import { TrpcProvider } from "@/components/trpc";
import { currentSiteUser } from "@/server/auth/auth0";

export const metadata: Metadata = { title: "Item" };

/** One catalog item: where the ChatGPT carousel's "View on Stylist" leads. */
export default async function ItemPage({ params }: { params: Promise<{ id: string }> }) {
  if (!(await currentSiteUser())) redirect("/signin");
  const { id } = await params;
  return (
    <TrpcProvider>
      <ProductDetail itemId={decodeURIComponent(id)} />
    </TrpcProvider>
  );
}
