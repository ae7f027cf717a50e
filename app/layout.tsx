import type { Metadata } from "next";
import type { ReactNode } from "react";
import { SiteHeader } from "@/components/site-header";
import { currentSiteUser, isDevAuth } from "@/server/auth/auth0";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Stylist", template: "%s · Stylist" },
  description: "Your stylist in ChatGPT: profile, catalog, outfits and approvals.",
  icons: { icon: "/favicon.svg" },
};

export const dynamic = "force-dynamic";

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await currentSiteUser();
  return (
    <html lang="en">
      <body>
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <SiteHeader user={user} devMode={isDevAuth()} />
        <main id="main">{children}</main>
      </body>
    </html>
  );
}
