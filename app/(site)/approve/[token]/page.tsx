import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { ApprovalReviewView } from "@/components/approval-review";
import { currentSiteUser } from "@/server/auth/auth0";
import { registry } from "@/server/procedures";
import { signInUrl, siteCall } from "@/server/site";

export const metadata: Metadata = { title: "Approve your basket", referrer: "no-referrer", robots: { index: false } };

/**
 * The deep link ChatGPT hands the user. Signed-in owners see the basket recomputed on the server; anyone
 * else (signed in as someone else, an unknown or malformed link) sees the same "not found" page.
 */
export default async function ApprovePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  if (!(await currentSiteUser())) redirect(signInUrl(`/approve/${encodeURIComponent(token)}`));
  const result = await siteCall(registry.approvals.review, { token });
  if (!result.ok) {
    return (
      <section className="card narrow">
        <h1>This approval link was not found</h1>
        <p>
          It may be mistyped, or it belongs to another account. Check that you are signed in with the account you use
          in ChatGPT, or ask ChatGPT for a new link.
        </p>
        <p>
          <Link href="/orders">See your orders</Link>
        </p>
      </section>
    );
  }
  return <ApprovalReviewView review={result.value} />;
}
