import type { Metadata } from "next";
import { isDevAuth } from "@/server/auth/auth0";
import { safeReturnTo } from "@/server/site";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string; returnTo?: string }> }) {
  const { error, returnTo: rawReturnTo } = await searchParams;
  const returnTo = safeReturnTo(rawReturnTo);
  return (
    <section className="card narrow">
      <h1>Sign in</h1>
      {error === "callback" ? (
        <p role="alert" className="status error">
          Signing in did not complete: the sign-in link expired or was already used. Please try again.
        </p>
      ) : null}
      {isDevAuth() ? (
        <>
          <p>
            This is a local development instance (<code>AUTH_MODE=dev</code>): there is one local user and no
            password.
          </p>
          <form action="/api/dev/signin" method="post">
            <input type="hidden" name="returnTo" value={returnTo} />
            <button type="submit" className="button">
              Continue as the local user
            </button>
          </form>
        </>
      ) : (
        <>
          <p>Use the same account you connected in ChatGPT, so your profile is the same in both places.</p>
          <a className="button" href={`/auth/login?returnTo=${encodeURIComponent(returnTo)}`}>
            Continue to sign in
          </a>
        </>
      )}
    </section>
  );
}
