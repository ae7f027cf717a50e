import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ProfileEditor } from "@/components/profile-editor";
import { TrpcProvider } from "@/components/trpc";
import { currentSiteUser } from "@/server/auth/auth0";

export const metadata: Metadata = { title: "Your profile" };

export default async function ProfilePage() {
  if (!(await currentSiteUser())) redirect("/signin");
  return (
    <TrpcProvider>
      <h1>Your style profile</h1>
      <p className="lede">ChatGPT reads the same profile when it plans outfits for you.</p>
      <ProfileEditor />
    </TrpcProvider>
  );
}
