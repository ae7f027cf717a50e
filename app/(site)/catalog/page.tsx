import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { CatalogSearch } from "@/components/catalog-search";
import { TrpcProvider } from "@/components/trpc";
import { currentSiteUser } from "@/server/auth/auth0";

export const metadata: Metadata = { title: "Catalog" };

export default async function CatalogPage() {
  if (!(await currentSiteUser())) redirect("/signin");
  return (
    <TrpcProvider>
      <h1>Catalog</h1>
      <CatalogSearch />
    </TrpcProvider>
  );
}
