import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { ConsentManager } from "@/components/consent-manager";
import { TrpcProvider } from "@/components/trpc";
import { currentSiteUser } from "@/server/auth/auth0";

export const metadata: Metadata = { title: "Your consents" };

export default async function ConsentPage() {
  if (!(await currentSiteUser())) redirect("/signin?returnTo=/consent");
  return (
    <TrpcProvider>
      <h1>Your consents</h1>
      <p className="lede">
        What you have allowed us to do with your photos, in plain words. Withdrawing a consent takes effect at once. Your photos are on
        the <Link href="/photos">photos page</Link>.
      </p>
      <ConsentManager />
    </TrpcProvider>
  );
}
