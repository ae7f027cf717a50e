import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { PhotoPortal } from "@/components/photo-portal";
import { TrpcProvider } from "@/components/trpc";
import { currentSiteUser } from "@/server/auth/auth0";

export const metadata: Metadata = { title: "Your photos" };

export default async function PhotosPage() {
  if (!(await currentSiteUser())) redirect("/signin?returnTo=/photos");
  return (
    <TrpcProvider>
      <h1>Your photos</h1>
      <p className="lede">
        The full-body photos we hold for your virtual try-ons, each with its check result. They never leave our servers; delete them at
        any time. Consent is managed on the <Link href="/consent">consent page</Link>.
      </p>
      <PhotoPortal />
    </TrpcProvider>
  );
}
